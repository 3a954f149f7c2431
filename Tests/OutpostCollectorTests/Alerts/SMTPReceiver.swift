import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A real SMTP server for e-mail tests (one connection at a time): greets, accepts EHLO, MAIL,
/// RCPT, DATA and QUIT, and records each message exactly as its bytes arrived.
final class SMTPReceiver: Sendable {
    /// How the server treats its clients.
    enum Behaviour: Sendable {
        /// Accepts every message.
        case accept
        /// Answers every RCPT with `550 5.1.1 no such user` (and a multi-line greeting).
        case refuseRecipients
        /// Accepts the connection and never says a word.
        case silent
        /// Offers STARTTLS (with this server context) and, inside TLS, AUTH PLAIN.
        case startTLS(NIOSSLContext)
    }

    private let behaviour: Behaviour

    init(_ behaviour: Behaviour = .accept) {
        self.behaviour = behaviour
    }

    /// One received message.
    struct Message: Sendable {
        /// The `MAIL FROM:` command line.
        let mailFrom: String
        /// The addresses of the `RCPT TO:` commands.
        let recipients: [String]
        /// The DATA lines as sent (dot-stuffed), without the terminating ".".
        let rawLines: [String]
        /// Whether every line of the conversation ended with CRLF.
        let allCRLF: Bool
        /// Whether the message came inside TLS (after STARTTLS).
        let tls: Bool
        /// The `user:password` of an `AUTH PLAIN`, if one came.
        let login: String?
    }

    private let received = Mutex<[Message]>([])

    /// The messages received so far.
    var messages: [Message] { received.withLock { $0 } }

    /// Runs the server on a free loopback port while `body` runs with the port.
    func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        try? await self.converse(connection)
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body(port)
        }
    }

    private func converse(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func reply(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text)) }
            switch behaviour {
            case .silent:
                for try await _ in inbound {}
                return
            case .refuseRecipients: try await reply("220-test.invalid ESMTP\r\n220 strict\r\n")
            case .accept, .startTLS: try await reply("220 test.invalid ESMTP ready\r\n")
            }
            var tls = false
            var login: String?
            var pending: [UInt8] = []
            var allCRLF = true
            var mailFrom = ""
            var recipients: [String] = []
            var data: [String]?
            for try await chunk in inbound {
                pending += Array(chunk.readableBytesView)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    var bytes = Array(pending[..<newline])
                    pending.removeFirst(newline + 1)
                    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() } else { allCRLF = false }
                    let line = String(decoding: bytes, as: UTF8.self)
                    if var lines = data {
                        if line == "." {
                            let message = Message(
                                mailFrom: mailFrom, recipients: recipients, rawLines: lines, allCRLF: allCRLF, tls: tls,
                                login: login)
                            received.withLock { $0.append(message) }
                            data = nil
                            try await reply("250 2.0.0 queued\r\n")
                        } else {
                            lines.append(line)
                            data = lines
                        }
                        continue
                    }
                    switch line.prefix(4).uppercased() {
                    case "EHLO":
                        var extensions = ["8BITMIME"]
                        if case .startTLS = behaviour { extensions.append(tls ? "AUTH PLAIN" : "STARTTLS") }
                        try await reply(
                            "250-test.invalid greets you\r\n" + extensions.map { "250-\($0)\r\n" }.joined()
                                + "250 SIZE 1000000\r\n")
                    case "STAR":
                        guard case .startTLS(let context) = behaviour, !tls else {
                            try await reply("502 5.5.1 no\r\n")
                            continue
                        }
                        try await reply("220 2.0.0 go ahead\r\n")
                        let channel = connection.channel
                        try await channel.eventLoop.submit {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLServerHandler(context: context), position: .first)
                        }.get()
                        tls = true
                    case "AUTH" where tls:
                        let token = Data(base64Encoded: String(line.split(separator: " ").last ?? "")) ?? Data()
                        login = token.split(separator: 0, omittingEmptySubsequences: false).dropFirst()
                            .map { String(decoding: $0, as: UTF8.self) }.joined(separator: ":")
                        try await reply("235 2.7.0 authenticated\r\n")
                    case "MAIL":
                        mailFrom = line
                        try await reply("250 2.1.0 ok\r\n")
                    case "RCPT" where { if case .refuseRecipients = behaviour { true } else { false } }():
                        try await reply("550 5.1.1 no such user\r\n")
                    case "RCPT":
                        recipients.append(String(line.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" }))
                        try await reply("250 2.1.5 ok\r\n")
                    case "DATA":
                        data = []
                        try await reply("354 end data with <CR><LF>.<CR><LF>\r\n")
                    case "QUIT":
                        try await reply("221 2.0.0 bye\r\n")
                        return
                    default: try await reply("500 5.5.2 unknown command\r\n")
                    }
                }
            }
        }
    }
}
