import Foundation
import Logging
import OutpostAgent
import OutpostTestSupport
import Prometheus
import Testing

/// The agent's `/metrics` over real HTTP (curl): the exposition with the process's own figures,
/// and refusals for anything else.
@Suite("Agent metrics endpoint")
struct AgentMetricsEndpointTests {
    @Test("GET /metrics serves the registry and the process's memory and CPU; other paths and methods are refused")
    func scrape() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "outpost_agent_batches", unitName: "total", helpText: "Batches cut.")
        ).increment(by: Int64(7))
        let port = try FreePort.tcp()
        let endpoint = AgentMetricsEndpoint(
            host: "127.0.0.1", port: port, registry: registry, logger: Logger(label: "outpost.test.metrics"))
        let serving = Task { try await endpoint.run() }
        defer { serving.cancel() }
        let url = "http://127.0.0.1:\(port)/metrics"
        // The endpoint binds as the task starts: retry the first connection for a few seconds.
        let body = try await Command.output(
            "curl", ["-sf", "--retry", "20", "--retry-connrefused", "--retry-delay", "1", url])
        #expect(body.contains("outpost_agent_batches_total 7"), "\(body)")
        let resident = try #require(
            body.firstMatch(of: /\nprocess_resident_memory_bytes ([0-9.e+]+)/).flatMap { Double($0.1) })
        #expect(resident > 1_000_000, "a Swift process holds more than 1 MB")
        let anonymous = try #require(
            body.firstMatch(of: /\noutpost_agent_anonymous_memory_bytes ([0-9.e+]+)/).flatMap { Double($0.1) })
        #expect(anonymous > 0 && anonymous <= resident)
        #expect(body.contains("\noutpost_agent_cpu_seconds "))
        #expect(body.contains("\nprocess_open_fds "))

        func status(_ arguments: [String]) async throws -> String {
            try await Command.output("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
        }
        #expect(try await status(["http://127.0.0.1:\(port)/"]) == "404")
        #expect(try await status(["-X", "POST", url]) == "405")
        serving.cancel()
        _ = await serving.result
        let closed = try await Command.run("curl", ["-s", "-o", "/dev/null", url])
        #expect(closed.status == 7, "connection refused once cancelled")
    }
}
