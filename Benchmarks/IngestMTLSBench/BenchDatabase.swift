import Foundation
import Logging
import NIOCore
import OutpostCore
import OutpostPKI
import OutpostStore
import PostgresNIO

/// A migrated scratch database on the benchmark's server, created fresh and dropped afterwards.
struct BenchDatabase {
    let server: DatabaseURL
    let url: DatabaseURL
    let name: String
    let logger: Logger

    /// Drops `name` if it exists, creates it and applies every migration.
    static func create(_ name: String, on server: DatabaseURL, logger: Logger) async throws -> BenchDatabase {
        try? await administer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger)
        try await administer(server, "CREATE DATABASE \(name)", logger: logger)
        let database = BenchDatabase(server: server, url: try server.with(database: name), name: name, logger: logger)
        try await database.withConnection { try await MigrationRunner(logger: logger).migrate(on: $0) }
        return database
    }

    func drop() async throws {
        try await Self.administer(server, "DROP DATABASE \(name) WITH (FORCE)", logger: logger)
    }

    @discardableResult
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Registers one branch per agent, the agent (as enrolment would) and its devices.
    func register(agent: IssuedAgentCertificate, index: Int, devices: [DeviceID]) async throws {
        try await withConnection { connection in
            let branch = UUID()
            try await connection.query(
                "INSERT INTO branches (id, name, display_name) VALUES (\(branch), \("bench-\(index)"), \("Bench \(index)"))",
                logger: logger)
            try await connection.query(
                """
                INSERT INTO agents (id, branch_id, name, public_key, cert_serial, cert_not_after)
                VALUES (\(agent.agentID.uuid), \(branch), \("agent-\(index)"), \(ByteBuffer(bytes: agent.publicKeyDER)),
                        \(agent.serialNumber.hexString), \(agent.notValidAfter))
                """, logger: logger)
            let ids = devices.map(\.uuid)
            let names = devices.indices.map { "dev-\(index)-\($0)" }
            let addresses = devices.indices.map { SimulatedAgent.address(ofDevice: $0) }
            try await connection.query(
                """
                INSERT INTO standalone_devices (id, name, ip, branch_id)
                SELECT id, name, ip, \(branch) FROM unnest(\(ids)::uuid[], \(names)::text[], \(addresses)::text[]) AS u(id, name, ip)
                """, logger: logger)
        }
    }

    /// Rows in `ping_results`.
    func pingRows() async throws -> Int {
        try await integer("SELECT count(*) FROM ping_results")
    }

    /// The highest `ping_results.id` so far (ids grow in commit order within this benchmark).
    func lastPingID() async throws -> Int {
        try await integer("SELECT coalesce(max(id), 0) FROM ping_results")
    }

    private func integer(_ sql: String) async throws -> Int {
        try await withConnection { connection in
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
                Int.self)
            {
                return value
            }
            throw BenchFailure("no row: \(sql)")
        }
    }

    /// Rows that share (agent, device, timestamp) with another: 0 unless something was written twice.
    func duplicatePingRows() async throws -> Int {
        try await integer(
            """
            SELECT coalesce(sum(n - 1), 0)::bigint FROM
                (SELECT count(*) AS n FROM ping_results GROUP BY agent_id, device_id, timestamp HAVING count(*) > 1) d
            """)
    }

    static let pingColumns =
        "device_id, agent_id, device_ip, packets_sent, packets_received, packet_loss_percent, "
        + "min_rtt_ms, avg_rtt_ms, max_rtt_ms, stddev_rtt_ms, is_reachable, timestamp"

    /// Writes the `ping_results` rows with an id above `id` to `path` (COPY text format, id order), untimed.
    func exportPings(after id: Int, to path: String) throws {
        try psql("\\copy (SELECT \(Self.pingColumns) FROM ping_results WHERE id > \(id) ORDER BY id) TO '\(path)'")
    }

    /// `psql \copy` of `path` into `ping_results`; returns the seconds it took.
    func importPings(from path: String) throws -> Double {
        let started = ContinuousClock.now
        try psql("\\copy ping_results (\(Self.pingColumns)) FROM '\(path)'")
        return started.duration(to: .now).seconds
    }

    private func psql(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [
            "-h", url.host, "-p", String(url.port), "-U", url.username, "-d", url.database,
            "-q", "-v", "ON_ERROR_STOP=1", "-c", command,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("psql failed (\(process.terminationStatus)): \(command)")
        }
    }

    private static func administer(_ server: DatabaseURL, _ sql: String, logger: Logger) async throws {
        let admin = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await admin.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await admin.close()
        } catch {
            try? await admin.close()
            throw error
        }
    }
}

/// The benchmark could not run as set up.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
