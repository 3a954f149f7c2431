import Foundation
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport

/// The real `outpost-collector run` binary (built next to this test bundle) as a child process
/// that a test can kill with SIGKILL.
final class CollectorProcess: Sendable {
    private let process: Process
    private let exited: AsyncStream<Int32>
    /// Where the collector's output goes (shown when a test fails).
    let logPath: String

    /// The collector executable: `$OUTPOST_COLLECTOR_BIN`, else next to the test bundle.
    static var executable: String {
        get throws {
            let candidates: [String?] = [
                ProcessInfo.processInfo.environment["OUTPOST_COLLECTOR_BIN"],
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("outpost-collector").path,
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map {
                    URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("outpost-collector").path
                },
            ]
            guard let path = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw TestEnvironmentError(
                    "outpost-collector not found next to the test bundle; build it (swift build --build-tests) or set OUTPOST_COLLECTOR_BIN")
            }
            return path
        }
    }

    /// Starts `outpost-collector run` against `database` with the CA directory `caDirectory`,
    /// agents on 127.0.0.1:`agentPort`, enrolment on 127.0.0.1:`enrolPort`; output appended to `logPath`.
    init(database: DatabaseURL, caDirectory: String, agentPort: Int, enrolPort: Int, logPath: String) throws {
        self.logPath = logPath
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable)
        process.arguments = [
            "run", "--database-url", "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database)",
            "--ca-dir", caDirectory, "--listen", "127.0.0.1:\(agentPort)", "--enrol-listen", "127.0.0.1:\(enrolPort)",
            "--http-listen", "127.0.0.1:0",
        ]
        // A throwaway credentials master key: the collector refuses to start without one.
        var environment = ProcessInfo.processInfo.environment
        environment["OUTPOST_MASTER_KEY"] = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        try? log.close()
        self.process = process
        self.exited = stream
    }

    var pid: Int32 { process.processIdentifier }

    /// Saves `fixture`'s CA and a collector identity for localhost/127.0.0.1 in a `ca`
    /// directory of the fixture, as `outpost-collector run --ca-dir` reads them; returns it.
    static func caDirectory(of fixture: TransportFixture) throws -> String {
        let directory = fixture.directory + "/ca"
        try fixture.ca.save(to: directory)
        let serverKey = P256Key.generate()
        let server = try fixture.ca.issueServerCertificate(publicKey: serverKey.publicKey, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        try CollectorServerIdentity(certificateChain: [server, fixture.ca.certificate], privateKey: serverKey).save(to: directory)
        return directory
    }

    /// Sends `signal` and waits until the process is gone; returns how it ended.
    @discardableResult
    func stop(with signal: Int32) async -> Process.TerminationReason {
        kill(process.processIdentifier, signal)
        for await _ in exited {}
        return process.terminationReason
    }

    /// What the collector printed so far.
    var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no output)"
    }
}
