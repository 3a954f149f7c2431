import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server for webhook tests: `POST /hook` records the JSON body and answers 200;
/// `POST /hang` never answers (a dead endpoint that accepted the connection).
final class WebhookReceiver: Sendable {
    private let received = Mutex<[[String: String]]>([])

    /// The `event` and string fields of every body posted to `/hook`, in arrival order.
    var bodies: [[String: String]] { received.withLock { $0 } }

    /// Runs the server on a free loopback port while `body` runs with its base URL.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
            self.received.withLock { $0.append(object.compactMapValues { $0 as? String }) }
            return .ok
        }
        router.post("/hang") { _, _ -> HTTPResponse.Status in
            try await Task.sleep(for: .seconds(3_600))
            return .ok
        }
        let (port, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Logger(label: "test.webhook"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            defer { group.cancelAll() }
            var ports = port.makeAsyncIterator()
            guard let bound = await ports.next() else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(bound)")
        }
    }
}
