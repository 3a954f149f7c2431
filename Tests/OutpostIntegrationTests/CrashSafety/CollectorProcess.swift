import Foundation
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport

/// The real `outpost-collector run` binary (built next to this test bundle) as a child process
/// that a test can kill with SIGKILL.
final class CollectorProcess: Sendable {
    private let process: ChildProcess
    /// Where the collector's output goes (shown when a test fails).
    let logPath: String

    /// How the process ended.
    enum Ending: Equatable {
        case exit
        case uncaughtSignal
    }

    /// Starts `outpost-collector run` against `database` with the CA directory `caDirectory`,
    /// agents on 127.0.0.1:`agentPort`, enrolment on 127.0.0.1:`enrolPort`; output appended to `logPath`.
    init(database: DatabaseURL, caDirectory: String, agentPort: Int, enrolPort: Int, logPath: String) throws {
        self.logPath = logPath
        process = ChildProcess(
            try BuiltProduct.collector,
            [
                "run", "--database-url",
                "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database)",
                "--ca-dir", caDirectory, "--listen", "127.0.0.1:\(agentPort)", "--enrol-listen",
                "127.0.0.1:\(enrolPort)",
                "--http-listen", "127.0.0.1:0",
            ],
            environment: [
                // A throwaway credentials master key: the collector refuses to start without one.
                "OUTPOST_MASTER_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            ], logFile: logPath)
    }

    /// Saves `fixture`'s CA and a collector identity for localhost/127.0.0.1 in a `ca`
    /// directory of the fixture, as `outpost-collector run --ca-dir` reads them; returns it.
    static func caDirectory(of fixture: TransportFixture) throws -> String {
        let directory = fixture.directory + "/ca"
        try fixture.ca.save(to: directory)
        let serverKey = P256Key.generate()
        let server = try fixture.ca.issueServerCertificate(
            publicKey: serverKey.publicKey, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        try CollectorServerIdentity(certificateChain: [server, fixture.ca.certificate], privateKey: serverKey).save(
            to: directory)
        return directory
    }

    /// Sends `signal` and waits until the process is gone; returns how it ended.
    @discardableResult
    func stop(with signal: Int32) async -> Ending? {
        await process.stop(with: .init(rawValue: signal)).map { $0.wasSignaled ? .uncaughtSignal : .exit }
    }

    /// What the collector printed so far.
    var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no output)"
    }
}
