import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why an e-mail was not accepted: the server's reply (`code`, its text), or a transport failure.
struct SMTPError: Error, CustomStringConvertible {
    /// The SMTP reply code, when the server answered.
    let code: Int?
    let message: String

    var description: String { code.map { "\($0) \(message)" } ?? message }
}

/// A minimal SMTP client (RFC 5321) on NIO: `EHLO`, optional `STARTTLS` (RFC 3207) and
/// `AUTH PLAIN` (RFC 4954, only inside TLS), `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`. Written by
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
            var capabilities = try await session.command("EHLO \(configuration.heloName)", expect: [250]).lines
            if case .startTLS(let caFile) = configuration.security {
                guard capabilities.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                    throw SMTPError(code: nil, message: "the server does not offer STARTTLS")
                }
                try await session.command("STARTTLS", expect: [220])
                try await startTLS(on: channel.channel, host: configuration.host, caFile: caFile)
                capabilities = try await session.command("EHLO \(configuration.heloName)", expect: [250]).lines
            }
            if let credentials = configuration.credentials {
                let token = Data([0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8))
                    .base64EncodedString()
                try await session.command("AUTH PLAIN \(token)", expect: [235])
            }
            try await session.command("MAIL FROM:<\(message.from)>", expect: [250])
            for recipient in message.to {
                try await session.command("RCPT TO:<\(recipient)>", expect: [250, 251])
            }
            try await session.command("DATA", expect: [354])
            let accepted = try await session.send(message.data, expect: [250])
            _ = try? await session.command("QUIT", expect: [221])  // the message is accepted already
            return accepted.code
        }
    }

    /// Puts TLS under the conversation: the relay's certificate must chain to the system's trust
    /// roots (or to `caFile`) and name `host`.
    private static func startTLS(on channel: any Channel, host: String, caFile: String?) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caFile { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        let context = try NIOSSLContext(configuration: tls)
        // SNI carries names only; an address is checked against the certificate's IP SANs.
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
        }.get()
    }
}
