import NIOCore
import NIOPosix

/// Why an e-mail was not accepted: the server's reply (`code`, its text), or a transport failure.
struct SMTPError: Error, CustomStringConvertible {
    /// The SMTP reply code, when the server answered.
    let code: Int?
    let message: String

    var description: String { code.map { "\($0) \(message)" } ?? message }
}

/// A minimal SMTP client (RFC 5321) on NIO: `EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`,
/// without TLS or authentication (for a relay on the collector's host or network). Written by
/// hand: none of the mirrored packages speaks SMTP, and alerts need only this conversation.
struct SMTPClient: Sendable {
    /// Longest reply line read (RFC 5321 allows 512 bytes); a longer one is a protocol error.
    static let maximumLineLength = 4_096
    /// Most lines in one multi-line reply.
    static let maximumReplyLines = 100

    let configuration: SMTPConfiguration

    /// Sends `message` to its recipients; returns the code of the server's acceptance (250).
    /// Throws `SMTPError` when the server refuses, the connection fails or `timeout` passes.
    func send(_ message: MailMessage) async throws -> Int {
        let configuration = configuration
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { try await Self.converse(message, configuration: configuration) }
            group.addTask {
                try await Task.sleep(for: configuration.timeout)
                throw SMTPError(code: nil, message: "no answer within \(configuration.timeout)")
            }
            defer { group.cancelAll() }
            guard let code = try await group.next() else { throw CancellationError() }
            return code
        }
    }

    private static func converse(_ message: MailMessage, configuration: SMTPConfiguration) async throws -> Int {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(replies: SMTPReplyReader(inbound.makeAsyncIterator()), outbound: outbound)
            try await session.expect([220])
            try await session.command("EHLO \(configuration.heloName)", expect: [250])
            try await session.command("MAIL FROM:<\(message.from)>", expect: [250])
            for recipient in message.to {
                try await session.command("RCPT TO:<\(recipient)>", expect: [250, 251])
            }
            try await session.command("DATA", expect: [354])
            let accepted = try await session.send(message.data, expect: [250])
            _ = try? await session.command("QUIT", expect: [221])  // the message is accepted already
            return accepted
        }
    }
}

/// One conversation: writes commands, reads and checks their replies.
private struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    @discardableResult
    mutating func command(_ line: String, expect codes: Set<Int>) async throws -> Int {
        try await send(line + "\r\n", expect: codes)
    }

    @discardableResult
    mutating func send(_ text: String, expect codes: Set<Int>) async throws -> Int {
        try await outbound.write(ByteBuffer(string: text))
        return try await expect(codes)
    }

    @discardableResult
    mutating func expect(_ codes: Set<Int>) async throws -> Int {
        let (code, text) = try await replies.next()
        guard codes.contains(code) else { throw SMTPError(code: code, message: text) }
        return code
    }
}

/// Reads SMTP replies (`250-first line`, …, `250 last line`) from the inbound byte stream.
private struct SMTPReplyReader {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.inbound = inbound
    }

    /// The next whole reply: its code and the text of its lines joined by spaces.
    mutating func next() async throws -> (Int, String) {
        var texts: [String] = []
        for _ in 0..<SMTPClient.maximumReplyLines {
            let line = try await nextLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else { throw SMTPError(code: nil, message: "malformed reply line: \(line.prefix(80).debugDescription)") }
            texts.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return (code, texts.joined(separator: " ")) }
        }
        throw SMTPError(code: nil, message: "reply of more than \(SMTPClient.maximumReplyLines) lines")
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - buffer.readerIndex
                var line = buffer.readString(length: length) ?? ""
                buffer.moveReaderIndex(forwardBy: 1)
                if line.hasSuffix("\r") { line.removeLast() }
                return line
            }
            guard buffer.readableBytes <= SMTPClient.maximumLineLength else {
                throw SMTPError(code: nil, message: "reply line longer than \(SMTPClient.maximumLineLength) bytes")
            }
            guard var chunk = try await inbound.next() else {
                throw SMTPError(code: nil, message: "the server closed the connection")
            }
            buffer.writeBuffer(&chunk)
        }
    }
}
