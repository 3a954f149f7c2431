import Foundation
import Logging
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostStore

/// `IngestMTLSBench --external CA-DIR HOST:PORT DATABASE-URL AGENTS SECONDS`: simulated agents
/// against a real `outpost-collector run` process (started by the caller on DATABASE-URL with
/// CA-DIR), so that the caller can measure that process alone (its RSS with AGENTS sessions).
///
/// The agents get certificates from the CA on disk and are registered in the collector's
/// migrated database as enrolment would register them, 10 devices each. They all connect at
/// once (mutual TLS handshake, Hello, Welcome: "sessions/s" is AGENTS over the time until the
/// last Welcome), then each sends one batch of 10 rows every 5 s for SECONDS, holding its
/// session open. Ends with `RESULT` lines for the session rate and the paced Ack p99.
enum ExternalCollectorRun {
    static let rowsPerBatch = 10
    static let interval = Duration.seconds(5)

    static func run(_ arguments: ArraySlice<String>) async throws {
        let values = Array(arguments)
        guard values.count == 5, let agentCount = Int(values[3]), agentCount > 0, let seconds = Int(values[4]),
            seconds > 0
        else {
            throw BenchFailure("usage: IngestMTLSBench --external CA-DIR HOST:PORT DATABASE-URL AGENTS SECONDS")
        }
        let authority = try CertificateAuthority.load(from: values[0])
        let parts = values[1].split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw BenchFailure("not HOST:PORT: \(values[1])") }
        let address = CollectorAddress(host: String(parts[0]), port: port, serverName: "localhost")
        var logger = Logger(label: "outpost.bench.mtls.external")
        logger.logLevel = .warning
        let url = try DatabaseURL(values[2])
        let database = BenchDatabase(server: url, url: url, name: url.database, logger: logger)

        var agents: [SimulatedAgent] = []
        // Branch and device names carry the index: distinct per run size on one database.
        for index in agentCount * 1_000_000..<agentCount * 1_000_001 {
            let key = P256Key.generate()
            let issued = try authority.issueAgentCertificate(
                csr: try key.makeCertificateSigningRequest(), branch: "scale-\(index)")
            let credentials = try AgentCredentials(
                privateKey: key, certificate: issued.certificate, caCertificate: authority.certificate)
            let devices = (0..<rowsPerBatch).map { _ in DeviceID(UUID()) }
            try await database.register(agent: issued, index: index, devices: devices)
            agents.append(try SimulatedAgent(index: index, credentials: credentials, devices: devices))
        }
        IngestMTLSBench.log("\(agentCount) agents registered; connecting to \(values[1])")
        let phase = try await Phase.run(
            agents, address: address, pace: .every(interval), window: IngestMTLSBench.window,
            duration: .seconds(seconds))
        let sessionsPerSecond = Double(agentCount) / phase.connecting
        let p99 = IngestMTLSBench.milliseconds(phase.latency(percentile: 0.99))
        IngestMTLSBench.log(
            String(
                format: "%d sessions in %.2f s (%.0f/s); %d batches acknowledged, ack p99 %.0f ms",
                agentCount, phase.connecting, sessionsPerSecond, phase.batches, p99))
        print(
            String(
                format: "RESULT name=collector-sessions size=%d-agents ours=%.0f reference=- unit=sessions/s ratio=-",
                agentCount, sessionsPerSecond))
        print(
            String(
                format: "RESULT name=collector-ack-p99 size=%d-agents ours=%.0f reference=- unit=ms ratio=-",
                agentCount, p99))
    }
}
