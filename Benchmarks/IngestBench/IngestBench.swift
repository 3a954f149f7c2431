// Ingest throughput: Outpost's IngestWriter (COPY + sequence ledger + device state, in group
// commits) next to raw `psql \copy` of the same rows, on the same server, in the same run.
//
// Usage: OUTPOST_BENCHMARKS=1 swift run -c release IngestBench postgres://outpost@127.0.0.1:PORT/postgres [rows] [rows-per-batch]
// It creates (and drops) two scratch databases on that server. The last line is machine-readable:
// `RESULT name=ingest size=… ours=… reference=… unit=rows/s ratio=…`.
import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO

@main
enum IngestBench {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let server = try? DatabaseURL(arguments[1]) else {
            FileHandle.standardError.write(
                Data("usage: IngestBench postgres://user@host:port/db [rows] [rows-per-batch]\n".utf8))
            exit(2)
        }
        let totalRows = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
        let rowsPerBatch = arguments.count > 3 ? Int(arguments[3]) ?? 1_000 : 1_000
        let batchesPerGroup = 50
        var logger = Logger(label: "outpost.bench.ingest")
        logger.logLevel = .warning

        func administer(_ sql: String) async throws {
            let admin = try await PostgresConnection.connect(
                configuration: server.connectionConfiguration(), id: 1, logger: logger)
            try await admin.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await admin.close()
        }

        /// A migrated scratch database with one branch, one agent and 1,000 devices.
        func prepare(_ name: String) async throws -> (DatabaseURL, AgentID, [DeviceID]) {
            try? await administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try await administer("CREATE DATABASE \(name)")
            let url = try server.with(database: name)
            let connection = try await PostgresConnection.connect(
                configuration: url.connectionConfiguration(), id: 2, logger: logger)
            try await MigrationRunner(logger: logger).migrate(on: connection)
            let agent = AgentID.random()
            try await connection.query(
                "INSERT INTO branches (name, display_name) VALUES ('bench', 'Bench')", logger: logger)
            try await connection.query(
                """
                INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                SELECT \(agent.uuid), id, '\\x00'::bytea, 'bench', now() + interval '1 day' FROM branches
                """, logger: logger)
            let devices = (0..<1_000).map { _ in DeviceID(UUID()) }
            for device in devices {
                try await connection.query(
                    "INSERT INTO standalone_devices (id, name, ip) VALUES (\(device.uuid), 'd', '10.0.0.1')",
                    logger: logger)
            }
            try await connection.close()
            return (url, agent, devices)
        }

        func rows(_ devices: [DeviceID], count: Int, start: Date) -> [PingRoundResult] {
            (0..<count).map { index in
                PingRoundResult(
                    deviceID: devices[index % devices.count], deviceIP: "10.0.\(index % 250).\(index % 200)",
                    timestamp: start.addingTimeInterval(Double(index) / 1_000), packetsSent: 3, packetsReceived: 3,
                    minRTT: 0.1, avgRTT: 0.2, maxRTT: 0.3, stddevRTT: 0.05)
            }
        }

        // --- Outpost: IngestWriter in group commits ---
        let (outpostURL, agent, devices) = try await prepare("outpost_bench_ingest")
        let start = Date()
        let allRows = rows(devices, count: totalRows, start: start)
        let batches = stride(from: 0, to: totalRows, by: rowsPerBatch).enumerated().map { index, offset in
            IngestBatch(
                agentID: agent, sequence: BatchSequence(index + 1),
                pings: Array(allRows[offset..<min(offset + rowsPerBatch, totalRows)]))
        }
        let writer = IngestWriter(logger: logger)
        let connection = try await PostgresConnection.connect(
            configuration: outpostURL.connectionConfiguration(), id: 3, logger: logger)
        let outpostStarted = ContinuousClock.now
        for group in stride(from: 0, to: batches.count, by: batchesPerGroup) {
            _ = try await writer.write(
                Array(batches[group..<min(group + batchesPerGroup, batches.count)]), on: connection)
        }
        let outpostSeconds = seconds(since: outpostStarted)
        try await connection.close()

        // --- Reference: psql \copy of the same rows into the same schema ---
        let (referenceURL, referenceAgent, _) = try await prepare("outpost_bench_reference")
        let csvPath = NSTemporaryDirectory() + "outpost-bench-\(UUID().uuidString).tsv"
        var tsv = ""
        tsv.reserveCapacity(totalRows * 160)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for row in allRows {
            tsv +=
                "\(row.deviceID.uuid)\t\(referenceAgent.uuid)\t\(row.deviceIP)\t3\t3\t0.0\t0.1\t0.2\t0.3\t0.05\tt\t\(formatter.string(from: row.timestamp))\n"
        }
        try tsv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csvPath) }
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [
            "-h", referenceURL.host, "-p", String(referenceURL.port), "-U", referenceURL.username, "-d",
            referenceURL.database, "-q", "-c",
            "\\copy ping_results (device_id, agent_id, device_ip, packets_sent, packets_received, packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, stddev_rtt_ms, is_reachable, timestamp) FROM '\(csvPath)'",
        ]
        let referenceStarted = ContinuousClock.now
        try psql.run()
        psql.waitUntilExit()
        let referenceSeconds = seconds(since: referenceStarted)
        guard psql.terminationStatus == 0 else {
            print("psql failed")
            exit(1)
        }

        let outpostRate = Double(totalRows) / outpostSeconds
        let referenceRate = Double(totalRows) / referenceSeconds
        print("rows: \(totalRows), rows per batch: \(rowsPerBatch), batches per commit: \(batchesPerGroup)")
        print(
            String(
                format: "Outpost IngestWriter (COPY + ledger + device state): %8.0f rows/s (%.2f s)", outpostRate,
                outpostSeconds))
        print(
            String(
                format: "psql \\copy, same rows, same schema:                   %8.0f rows/s (%.2f s)", referenceRate,
                referenceSeconds))
        print(String(format: "ratio: %.0f %%", outpostRate / referenceRate * 100))
        print(
            String(
                format: "RESULT name=ingest size=%d-rows ours=%.0f reference=%.0f unit=rows/s ratio=%.2f",
                totalRows, outpostRate, referenceRate, outpostRate / referenceRate))
        try await administer("DROP DATABASE outpost_bench_ingest WITH (FORCE)")
        try await administer("DROP DATABASE outpost_bench_reference WITH (FORCE)")
    }
}
