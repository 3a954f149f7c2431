import Foundation
import OutpostTestSupport
import OutpostWire
import Testing

@testable import OutpostAgent

/// The health summary the uplink puts in its heartbeats, gathered from the real spool, the
/// process's `/proc/self/status` and the ping-load source.
@Suite("Agent health summary")
struct AgentHealthReporterTests {
    @Test("pending batches are the spooled ones above the acknowledgement mark, across segments")
    func pendingBatches() async throws {
        try await withTemporarySpool { spool, _ in
            #expect(await spool.pendingBatches == 0)
            try await spool.appendTestPayloads(0..<200)
            #expect(await spool.pendingBatches == 200)
            try await spool.acknowledge(through: 150)  // inside a segment: part of it is acknowledged
            #expect(await spool.pendingBatches == 50)
            try await spool.acknowledge(through: 200)
            #expect(await spool.pendingBatches == 0)
        }
    }

    @Test("the summary reports the version, this process's memory, the spool and the ping load")
    func summary() async throws {
        try await withTemporarySpool { spool, _ in
            try await spool.appendTestPayloads(0..<30)
            try await spool.acknowledge(through: 10)
            let reporter = AgentHealthReporter(
                agentVersion: "outpost-agent/0.1", spool: spool,
                sources: AgentHealthSources(pingLoad: {
                    PingLoad(demandPacketsPerSecond: 6000, ceilingPacketsPerSecond: 2000, roundsOverrun: 7)
                }))
            let health = await reporter.summary()
            #expect(health.agentVersion == "outpost-agent/0.1")
            #expect(health.residentBytes > 1 << 20, "the test process's own RSS")
            #expect(health.anonymousBytes > 0 && health.anonymousBytes <= health.residentBytes)
            #expect(health.spoolPendingBatches == 20)
            #expect(health.spoolBytes >= 30 * 1000)
            #expect(health.spoolDroppedBatches == 0)
            #expect(health.roundsOverrun == 7)
            #expect(health.icmpDemandPerSecond == 6000 && health.icmpCeilingPerSecond == 2000)
            #expect(health.cannotFit)

            let unknown = await AgentHealthReporter(agentVersion: "v", spool: spool, sources: AgentHealthSources())
                .summary()
            #expect(unknown.icmpDemandPerSecond == 0 && unknown.icmpCeilingPerSecond == 0 && unknown.roundsOverrun == 0)
            #expect(!unknown.cannotFit)
        }
    }

    @Test("an odd configured version is made sendable instead of failing every heartbeat")
    func displayableVersion() throws {
        #expect(AgentHealthReporter.displayable("1.0\u{1B}[2J\n") == "1.0?[2J?")
        #expect(AgentHealthReporter.displayable("") == "unknown")
        let long = AgentHealthReporter.displayable(String(repeating: "é", count: 200))
        #expect(long.utf8.count == 254)
        for version in ["1.0\u{1B}[2J\n", "", String(repeating: "é", count: 200)] {
            let health = AgentHealth(
                agentVersion: AgentHealthReporter.displayable(version), residentBytes: 0, anonymousBytes: 0,
                spoolBytes: 0, spoolPendingBatches: 0, spoolDroppedBatches: 0, spoolDroppedResults: 0,
                roundsOverrun: 0, icmpDemandPerSecond: 0, icmpCeilingPerSecond: 0)
            _ = try Message.heartbeat(Heartbeat(timestamp: Date(), health: health)).frame()
        }
    }

    @Test("memory figures are read from a /proc status text in bytes; missing ones are nil")
    func processMemory() {
        let memory = ProcessMemory(
            status:
                "Name:\toutpost-agent\nVmHWM:\t   52000 kB\nVmRSS:\t   41000 kB\nRssAnon:\t   20000 kB\nThreads:\t6\n")
        #expect(memory == ProcessMemory(resident: 41_000 * 1024, anonymous: 20_000 * 1024, peak: 52_000 * 1024))
        #expect(ProcessMemory(status: "Name:\tx\n") == ProcessMemory())
    }
}
