// End-to-end ingest: N simulated agents push signed ping batches over mutual TLS on loopback
// to an in-process collector (listener, sessions, ingest pipeline) writing to PostgreSQL.
//
// Per agent count, in one run:
// - rounds of: phase 1, saturated (rows/s = rows counted in PostgreSQL / time from the common
//   start to the last Ack), then `psql \copy` of exactly the rows that round committed into
//   `ping_results` of a second database that grows alongside (the reference). Alternating the
//   two cancels most of the load swings of a shared machine; the median ratio is reported.
// - phase 2: 50 % of the median phase 1 round's throughput offered at a steady pace; send→Ack
//   latency of every batch.
//
// Usage: OUTPOST_BENCHMARKS=1 swift build -c release --product IngestMTLSBench &&
//        .build/release/IngestMTLSBench postgres://outpost@127.0.0.1:PORT/postgres [agents=4,32] [seconds=10] [rows-per-batch=1000] [rounds=3]
// Phase 1 rounds last `seconds` each, phase 2 twice that. It creates (and drops) scratch
// databases on that server. Per agent count it ends with machine-readable lines
// `RESULT name=… size=… ours=… reference=… unit=… ratio=…` (median round; paced ack p99).
// With `--external …` it drives a running `outpost-collector` instead (see ExternalCollectorRun).
import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore

@main
enum IngestMTLSBench {
    /// Unacknowledged batches per agent, as `Uplink.Configuration.window` defaults.
    static let window = 32

    /// One saturated round and its reference.
    struct Round {
        let phase: Phase
        let rows: Int
        let referenceSeconds: Double

        var rate: Double { Double(rows) / phase.elapsed }
        var referenceRate: Double { Double(rows) / referenceSeconds }
        var ratio: Double { rate / referenceRate }
    }

    struct Line {
        let agents: Int
        let rounds: [Round]
        let paced: Phase
        let offeredRate: Double
        let duplicates: Int

        /// The round with the median ratio.
        var median: Round { rounds.sorted { $0.ratio < $1.ratio }[rounds.count / 2] }
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "--external" {
            try await ExternalCollectorRun.run(arguments.dropFirst(2))
            return
        }
        guard arguments.count >= 2, let server = try? DatabaseURL(arguments[1]) else {
            FileHandle.standardError.write(
                Data(
                    "usage: IngestMTLSBench postgres://user@host:port/db [agents=4,32] [seconds=10] [rows-per-batch=1000] [rounds=3]\n"
                        .utf8))
            exit(2)
        }
        let counts = (arguments.count > 2 ? arguments[2] : "4,32").split(separator: ",").compactMap { Int($0) }
        let seconds = arguments.count > 3 ? Int(arguments[3]) ?? 10 : 10
        let rowsPerBatch = arguments.count > 4 ? Int(arguments[4]) ?? 1_000 : 1_000
        let rounds = max(1, arguments.count > 5 ? Int(arguments[5]) ?? 3 : 3)
        var logger = Logger(label: "outpost.bench.mtls")
        logger.logLevel = .warning

        var lines: [Line] = []
        for agents in counts {
            log(
                "\(agents) agents: \(rounds) rounds of \(seconds) s saturated + psql \\copy, then \(2 * seconds) s at 50 %"
            )
            lines.append(
                try await measure(
                    agents: agents, server: server, seconds: seconds, rowsPerBatch: rowsPerBatch,
                    rounds: rounds, logger: logger))
        }
        print(
            "rows per batch: \(rowsPerBatch); window: \(window) batches per agent; \(rounds) saturated rounds of \(seconds) s; paced \(2 * seconds) s"
        )
        print(
            "| agents | end to end, saturated | psql \\copy, same rows | ratio (median; each round) | offered (50 %) | ack p50 | ack p99 | ack max | ack p99 saturated | duplicates |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for line in lines {
            let median = line.median
            let ratios = line.rounds.map { String(format: "%.0f", $0.ratio * 100) }.joined(separator: " / ")
            print(
                String(
                    format: "| %d | %.0f rows/s | %.0f rows/s | %.0f %% (", line.agents, median.rate,
                    median.referenceRate, median.ratio * 100)
                    + ratios
                    + String(
                        format: " %%) | %.0f rows/s (%d batches) | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |",
                        line.offeredRate, line.paced.batches,
                        milliseconds(line.paced.latency(percentile: 0.5)),
                        milliseconds(line.paced.latency(percentile: 0.99)),
                        milliseconds(line.paced.latencies.last ?? .zero),
                        milliseconds(median.phase.latency(percentile: 0.99)),
                        line.duplicates))
        }
        for line in lines {
            let slices = line.paced.slowestPerSlice(of: 2).map(String.init).joined(separator: " ")
            print("\(line.agents) agents, paced: slowest ack (ms) of the batches sent in each 2 s: \(slices)")
        }
        for line in lines {
            let median = line.median
            print(
                String(
                    format: "RESULT name=ingest-mtls size=%d-agents ours=%.0f reference=%.0f unit=rows/s ratio=%.2f",
                    line.agents, median.rate, median.referenceRate, median.ratio))
            print(
                String(
                    format: "RESULT name=ingest-mtls-ack-p99 size=%d-agents ours=%.0f reference=- unit=ms ratio=-",
                    line.agents, milliseconds(line.paced.latency(percentile: 0.99))))
        }
    }

    static func measure(
        agents count: Int, server: DatabaseURL, seconds: Int, rowsPerBatch: Int, rounds: Int, logger: Logger
    ) async throws -> Line {
        let database = try await BenchDatabase.create("outpost_bench_mtls", on: server, logger: logger)
        let reference = try await BenchDatabase.create("outpost_bench_mtls_reference", on: server, logger: logger)
        let authority = try CertificateAuthority.create()
        var agents: [SimulatedAgent] = []
        for index in 0..<count {
            let key = P256Key.generate()
            let issued = try authority.issueAgentCertificate(
                csr: try key.makeCertificateSigningRequest(), branch: "bench-\(index)")
            let credentials = try AgentCredentials(
                privateKey: key, certificate: issued.certificate, caCertificate: authority.certificate)
            let devices = (0..<rowsPerBatch).map { _ in DeviceID(UUID()) }
            try await database.register(agent: issued, index: index, devices: devices)
            agents.append(try SimulatedAgent(index: index, credentials: credentials, devices: devices))
        }
        let line = try await BenchCollector(authority: authority).run(database: database.url, logger: logger) {
            [agents] address in
            var measured: [Round] = []
            for _ in 0..<rounds {
                let lastID = try await database.lastPingID()
                let before = try await database.pingRows()
                let saturated = try await Phase.run(
                    agents, address: address, pace: .saturate, window: window, duration: .seconds(seconds))
                let committed = try await database.pingRows() - before
                guard committed == saturated.rows else {
                    throw BenchFailure(
                        "phase 1: \(saturated.rows) rows acknowledged but \(committed) more in ping_results")
                }
                let round = Round(
                    phase: saturated, rows: committed,
                    referenceSeconds: try await referenceCopy(
                        from: database, after: lastID, rows: committed, into: reference))
                log(
                    String(
                        format: "  saturated: %.0f rows/s (%d rows); psql \\copy of the same rows %.0f rows/s: %.0f %%",
                        round.rate, committed, round.referenceRate, round.ratio * 100))
                measured.append(round)
            }

            // Half of the median round's throughput is the 50 % load: one unusually fast or
            // slow round on a shared machine does not set it.
            let offered = measured.map(\.rate).sorted()[measured.count / 2] / 2
            let interval = Duration.seconds(Double(count * rowsPerBatch) / offered)
            log(
                String(
                    format: "  paced: %.0f rows/s offered, one batch per agent every %.0f ms", offered,
                    interval.seconds * 1_000))
            let before = try await database.pingRows()
            let paced = try await Phase.run(
                agents, address: address, pace: .every(interval), window: window, duration: .seconds(2 * seconds))
            guard try await database.pingRows() == before + paced.rows else {
                throw BenchFailure("phase 2: \(paced.rows) rows acknowledged, a different count in ping_results")
            }
            return Line(
                agents: count, rounds: measured, paced: paced, offeredRate: offered,
                duplicates: try await database.duplicatePingRows())
        }
        try await database.drop()
        try await reference.drop()
        return line
    }

    /// Exports the rows committed after `id` (untimed), then times `psql \copy` of them into the reference.
    static func referenceCopy(from database: BenchDatabase, after id: Int, rows: Int, into reference: BenchDatabase)
        async throws -> Double
    {
        let path = NSTemporaryDirectory() + "outpost-bench-mtls-\(UUID().uuidString).tsv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try database.exportPings(after: id, to: path)
        let before = try await reference.pingRows()
        let seconds = try reference.importPings(from: path)
        guard try await reference.pingRows() == before + rows else {
            throw BenchFailure("psql \\copy loaded a different row count")
        }
        return seconds
    }

    static func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1_000 }

    static func log(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
