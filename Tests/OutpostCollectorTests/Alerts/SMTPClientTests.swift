import Foundation
import NIOSSL
import OutpostPKI
import Testing

@testable import OutpostCollector

@Suite("SMTP client against a real in-test SMTP server")
struct SMTPClientTests {
    static func message(to recipients: [String] = ["noc@example.com"]) -> MailMessage {
        MailMessage(
            from: "outpost@example.com", to: recipients, subject: "s", body: "b", date: Date(), messageID: "m@outpost")
    }

    @Test func aMessageIsAcceptedWith250() async throws {
        let server = SMTPReceiver()
        try await server.serve { port in
            let code = try await SMTPClient(
                configuration: try SMTPConfiguration(host: "127.0.0.1", port: port, from: "outpost@example.com")
            )
            .send(Self.message(to: ["a@example.com", "b@example.com"]))
            #expect(code == 250)
            #expect(server.messages.map(\.recipients) == [["a@example.com", "b@example.com"]])
        }
    }

    @Test func aRefusedRecipientIsAnErrorWithTheServersCode() async throws {
        try await SMTPReceiver(.refuseRecipients).serve { port in
            do {
                _ = try await SMTPClient(
                    configuration: try SMTPConfiguration(host: "127.0.0.1", port: port, from: "outpost@example.com")
                )
                .send(Self.message())
                Issue.record("a refused recipient was reported as sent")
            } catch let error as SMTPError {
                #expect(error.code == 550)
                #expect(error.description == "550 5.1.1 no such user")
            }
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        try await SMTPReceiver(.silent).serve { port in
            let started = ContinuousClock.now
            do {
                _ = try await SMTPClient(
                    configuration: try SMTPConfiguration(
                        host: "127.0.0.1", port: port, from: "outpost@example.com", timeout: .milliseconds(500))
                ).send(Self.message())
                Issue.record("a silent server was reported as accepting")
            } catch let error as SMTPError {
                #expect(error.code == nil)
                #expect(error.message.hasPrefix("no answer within"))
            }
            // The configured 500 ms, not the 30 s default (with room for a loaded machine).
            #expect(started.duration(to: .now) < .seconds(15))
        }
    }

    @Test func aClosedPortIsAnError() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await SMTPClient(
                configuration: try SMTPConfiguration(host: "127.0.0.1", port: 1, from: "outpost@example.com")
            ).send(Self.message())
        }
    }
}

/// STARTTLS and AUTH PLAIN against the in-test server with a certificate from an Outpost CA.
extension SMTPClientTests {
    /// A server TLS context for `address` and the path of its CA's PEM (removed by the caller).
    static func relayIdentity(for address: String = "127.0.0.1") throws -> (NIOSSLContext, caFile: String) {
        let ca = try CertificateAuthority.create(commonName: "SMTP test CA")
        let key = P256Key.generate()
        let certificate = try ca.issueServerCertificate(publicKey: key.publicKey, dnsNames: [], ipAddresses: [address])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(
                    try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(try key.pemEncoded.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        let caFile = NSTemporaryDirectory() + "outpost-smtp-ca-\(UUID()).pem"
        try ca.certificate.serializeAsPEM().pemString.write(toFile: caFile, atomically: true, encoding: .utf8)
        return (try NIOSSLContext(configuration: tls), caFile)
    }

    @Test func startTLSThenAuthPlainThenTheMessageInsideTLS() async throws {
        let (context, caFile) = try Self.relayIdentity()
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let server = SMTPReceiver(.startTLS(context))
        try await server.serve { port in
            let configuration = try SMTPConfiguration(
                host: "127.0.0.1", port: port, from: "outpost@example.com", security: .startTLS(caFile: caFile),
                credentials: .init(username: "outpost", password: "s3cret"))
            #expect(try await SMTPClient(configuration: configuration).send(Self.message()) == 250)
            let message = try #require(server.messages.first)
            #expect(message.tls)
            #expect(message.login == "outpost:s3cret")
            #expect(message.recipients == ["noc@example.com"])
            #expect(configuration.credentials?.description == "outpost:<redacted>")
        }
    }

    /// Sends a message through `server` with STARTTLS trusting the CA in `caFile` (the system's
    /// with `nil`), expects the send to fail and the server to have received nothing; returns the
    /// error.
    @discardableResult
    static func startTLSFailure(
        through server: SMTPReceiver, trusting caFile: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (any Error)? {
        try await server.serve { port in
            let configuration = try SMTPConfiguration(
                host: "127.0.0.1", port: port, from: "outpost@example.com", security: .startTLS(caFile: caFile))
            let error = await #expect(throws: (any Error).self, sourceLocation: sourceLocation) {
                try await SMTPClient(configuration: configuration).send(Self.message())
            }
            #expect(server.messages.isEmpty, sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func startTLSIsRefusedWhenNotOfferedOrTheCertificateIsNotTrusted() async throws {
        #expect(try await Self.startTLSFailure(through: SMTPReceiver(), trusting: nil) is SMTPError)
        let (context, ownCA) = try Self.relayIdentity()
        let (_, otherCA) = try Self.relayIdentity()
        defer { for file in [ownCA, otherCA] { try? FileManager.default.removeItem(atPath: file) } }
        try await Self.startTLSFailure(through: SMTPReceiver(.startTLS(context)), trusting: otherCA)
        // A trusted CA, but a certificate for another address.
        let (elsewhere, elsewhereCA) = try Self.relayIdentity(for: "127.0.0.2")
        defer { try? FileManager.default.removeItem(atPath: elsewhereCA) }
        try await Self.startTLSFailure(through: SMTPReceiver(.startTLS(elsewhere)), trusting: elsewhereCA)
        #expect(throws: SMTPConfiguration.CredentialsWithoutTLS.self) {
            try SMTPConfiguration(host: "mail", from: "a@b", credentials: .init(username: "u", password: "p"))
        }
    }
}
