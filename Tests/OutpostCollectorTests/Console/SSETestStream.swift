import Foundation
import NIOCore
import NIOPosix
import OutpostTestSupport
import Synchronization

@testable import OutpostCollectorTestSupport

/// A `GET` of a Server-Sent Events stream over a raw loopback socket (URLSession on Linux
/// buffers a response it cannot stream), parsed as it arrives: the status, and each event
/// with the time it arrived, for a test to wait on with a time limit.
final class SSETestStream: Sendable {
    /// One event of the stream.
    struct Event: Sendable {
        let name: String
        let data: String
        let id: String?
        let received: ContinuousClock.Instant

        /// `data` as a JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
        }
    }

    private struct State {
        var raw: [UInt8] = []
        var status: Int?
        var chunked = false
        var text = ""
        var events: [Event] = []
        var comments = 0
        var retry: Int?
        var ended = false
    }

    private let state = Mutex(State())

    /// Opens `path` on `http`'s server with its session cookie (and `headers`) for the length of
    /// `body`.
    static func with<Result: Sendable>(
        _ http: HTTPTestClient, path: String = "/console/events", headers: [String: String] = [:],
        _ body: (SSETestStream) async throws -> Result
    ) async throws -> Result {
        guard let port = URL(string: http.base)?.port else { throw HTTPTestError("no port in \(http.base)") }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        if let cookie = http.sessionCookie { request += "Cookie: outpost_session=\(cookie)\r\n" }
        if let bearer = http.bearer { request += "Authorization: Bearer \(bearer)\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let stream = SSETestStream()
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await buffer in inbound { stream.receive(Array(buffer.readableBytesView)) }
                    } catch {}
                    stream.state.withLock { $0.ended = true }
                }
                do {
                    let result = try await body(stream)
                    group.cancelAll()
                    return result
                } catch {
                    group.cancelAll()
                    throw error
                }
            }
        }
    }

    /// The response's status, once its head arrived within `limit`.
    func status(within limit: Duration = .seconds(10)) async throws -> Int? {
        try await eventually(
            within: limit, every: .milliseconds(10), { state.withLock { $0.status } }, until: { $0 != nil })
    }

    /// Every event so far.
    var events: [Event] { state.withLock { $0.events } }
    /// Comment lines so far (keep-alives).
    var comments: Int { state.withLock { $0.comments } }
    /// The `retry:` the server gave, if any.
    var retry: Int? { state.withLock { $0.retry } }
    /// Whether the server closed the stream.
    var ended: Bool { state.withLock { $0.ended } }

    /// The first event after the first `skipping` ones that `matches`, waiting up to `limit`.
    func event(
        after skipping: Int = 0, within limit: Duration = .seconds(10),
        where matches: @escaping (Event) -> Bool = { _ in true }
    ) async throws -> Event? {
        let found = try await eventually(
            within: limit, every: .milliseconds(5),
            { state.withLock { $0.events.dropFirst(skipping).first(where: matches) } }, until: { $0 != nil })
        return found
    }

    private func receive(_ bytes: [UInt8]) {
        let arrived = ContinuousClock.now
        state.withLock { state in
            state.raw += bytes
            if state.status == nil {
                guard let end = Self.find([13, 10, 13, 10], in: state.raw) else { return }
                let head = String(decoding: state.raw[..<end], as: UTF8.self).lowercased()
                state.raw.removeFirst(end + 4)
                state.status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                state.chunked = head.contains("transfer-encoding: chunked")
            }
            if state.chunked {
                while let lineEnd = Self.find([13, 10], in: state.raw),
                    let size = Int(String(decoding: state.raw[..<lineEnd], as: UTF8.self), radix: 16),
                    state.raw.count >= lineEnd + 2 + size + 2
                {
                    state.text += String(decoding: state.raw[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self)
                    state.raw.removeFirst(lineEnd + 2 + size + 2)
                }
            } else {
                state.text += String(decoding: state.raw, as: UTF8.self)
                state.raw.removeAll()
            }
            while let range = state.text.range(of: "\n\n") {
                let block = state.text[..<range.lowerBound]
                state.text.removeSubrange(..<range.upperBound)
                var name = "message"
                var data: [Substring] = []
                var id: String?
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") {
                        state.comments += 1
                    } else if line.hasPrefix("event: ") {
                        name = String(line.dropFirst(7))
                    } else if line.hasPrefix("data: ") {
                        data.append(line.dropFirst(6))
                    } else if line.hasPrefix("id: ") {
                        id = String(line.dropFirst(4))
                    } else if line.hasPrefix("retry: ") {
                        state.retry = Int(line.dropFirst(7))
                    }
                }
                if !data.isEmpty {
                    state.events.append(
                        Event(name: name, data: data.joined(separator: "\n"), id: id, received: arrived))
                }
            }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
