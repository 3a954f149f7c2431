import Foundation
import Logging
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Synchronization
import Testing

/// A migrated throwaway database, a running enrolment endpoint on loopback, a CA and a branch.
struct EnrolmentFixture {
    static let branch = "Coimbra"

    let database: TestDatabase
    let connection: PostgresConnection
    let authority: CertificateAuthority
    let server: EnrolmentServer
    let logs: CapturedLogs
    let directory: String

    /// Runs `body` with a fresh fixture; everything is torn down afterwards.
    static func with(
        configuration: EnrolmentServerConfiguration = EnrolmentServerConfiguration(host: "127.0.0.1", port: 0),
        _ body: (EnrolmentFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigrated { connection, database in
            let logs = CapturedLogs()
            let logger = logs.logger(label: "outpost.test.enrolment")
            let directory = try TemporaryDirectory("enrolment")
            defer { directory.remove() }

            let testCA = try TestCA()
            let authority = testCA.ca
            let issued = try testCA.issueServer()
            let identity = try CollectorServerIdentity(
                certificateChain: [issued.certificate, authority.certificate], privateKey: issued.key)
            _ = try await BranchRegistry(logger: logger).add(
                name: branch, by: AuditActor(name: "test", source: "test"), on: connection)

            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                let server = try await EnrolmentServer.bind(
                    configuration: configuration, authority: authority, identity: identity, client: client,
                    logger: logger)
                group.addTask { try await server.serve() }
                let fixture = EnrolmentFixture(
                    database: database, connection: connection, authority: authority, server: server, logs: logs,
                    directory: directory.path)
                defer {
                    server.close()
                    group.cancelAll()
                }
                try await body(fixture)
            }
        }
    }

    /// A token for the fixture's branch and endpoint, stored with `expiresAt`.
    func makeToken(expiresAt: Date = Date() + 3600) async throws -> (EnrolmentToken, EnrolmentTokenRecord) {
        let token = try EnrolmentToken.generate(
            collectorHost: "127.0.0.1", collectorPort: UInt16(server.port), caFingerprint: authority.fingerprint)
        let record = try await EnrolmentTokenRegistry(logger: TestDatabase.logger).create(
            secretHash: token.secretHash, branchName: Self.branch, expiresAt: expiresAt,
            by: AuditActor(name: "test", source: "test"), on: connection)
        return (token, record)
    }

    /// A new agent state directory inside the fixture's temporary directory.
    func stateDirectory() -> AgentStateDirectory {
        AgentStateDirectory(path: "\(directory)/agent-\(UUID().uuidString)")
    }

    /// The stored token record.
    func record(of id: UUID) async throws -> EnrolmentTokenRecord {
        try #require(try await EnrolmentTokenRegistry(logger: TestDatabase.logger).token(id: id, on: connection))
    }

    /// Number of rows in `agents`.
    func agentCount() async throws -> Int {
        try await connection.integer("SELECT count(*)::int8 FROM agents")
    }
}

/// Every log line (message and metadata) written through loggers it made.
final class CapturedLogs: Sendable {
    private let captured = CapturedLog()

    func logger(label: String) -> Logger {
        captured.logger(label: label)
    }

    var all: [String] { captured.entries.map { "\($0.level) \($0.message) \($0.loggedMetadata)" } }

    /// Whether any line contains any form of the token: its text or its secret (hex, base64, base64url).
    func mention(_ token: EnrolmentToken) -> Bool {
        let secret = Data(token.secret)
        let forms = [
            token.encoded, secret.map { String(format: "%02x", $0) }.joined(), secret.base64EncodedString(),
            secret.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
                of: "/", with: "_"
            )
            .replacingOccurrences(of: "=", with: ""),
            "\(token.secret)",
        ]
        return all.contains { line in forms.contains { line.contains($0) } }
    }
}
