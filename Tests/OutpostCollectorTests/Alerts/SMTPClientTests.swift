import Foundation
@testable import OutpostCollector
import Testing

@Suite("SMTP client against a real in-test SMTP server")
struct SMTPClientTests {
    static func message(to recipients: [String] = ["noc@example.com"]) -> MailMessage {
        MailMessage(from: "outpost@example.com", to: recipients, subject: "s", body: "b", date: Date(), messageID: "m@outpost")
    }

    @Test func aMessageIsAcceptedWith250() async throws {
        let server = SMTPReceiver()
        try await server.serve { port in
            let code = try await SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, from: "outpost@example.com"))
                .send(Self.message(to: ["a@example.com", "b@example.com"]))
            #expect(code == 250)
            #expect(server.messages.map(\.recipients) == [["a@example.com", "b@example.com"]])
        }
    }

    @Test func aRefusedRecipientIsAnErrorWithTheServersCode() async throws {
        try await SMTPReceiver(.refuseRecipients).serve { port in
            do {
                _ = try await SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, from: "outpost@example.com"))
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
                _ = try await SMTPClient(configuration: SMTPConfiguration(
                    host: "127.0.0.1", port: port, from: "outpost@example.com", timeout: .milliseconds(500))).send(Self.message())
                Issue.record("a silent server was reported as accepting")
            } catch let error as SMTPError {
                #expect(error.code == nil)
                #expect(error.message.hasPrefix("no answer within"))
            }
            #expect(started.duration(to: .now) < .seconds(5))
        }
    }

    @Test func aClosedPortIsAnError() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 1, from: "outpost@example.com")).send(Self.message())
        }
    }
}
