import OutpostWire

/// Gathers the health summary an agent sends in its heartbeats: its version, its memory
/// (`/proc/self/status`), its spool's backlog and drops, and the ping load from its
/// ``AgentHealthSources`` (`docs/architecture.md`, "Agent health").
struct AgentHealthReporter: Sendable {
    let agentVersion: String
    let spool: Spool
    let sources: AgentHealthSources

    /// The summary as of now.
    func summary() async -> AgentHealth {
        let stats = await spool.stats
        let pending = await spool.pendingBatches
        let memory = ProcessMemory.read()
        let load = await sources.pingLoad()
        func counter(_ value: UInt64) -> UInt64 { min(value, AgentHealth.maximumCounter) }
        return AgentHealth(
            agentVersion: Self.displayable(agentVersion), residentBytes: counter(memory.resident ?? 0),
            anonymousBytes: counter(memory.anonymous ?? 0), spoolBytes: counter(UInt64(max(stats.bytes, 0))),
            spoolPendingBatches: counter(pending), spoolDroppedBatches: counter(stats.droppedBatches),
            spoolDroppedResults: counter(stats.droppedResults),
            roundsOverrun: counter(UInt64(clamping: load?.roundsOverrun ?? 0)),
            icmpDemandPerSecond: Self.rate(load?.demandPacketsPerSecond ?? 0),
            icmpCeilingPerSecond: UInt32(clamping: load?.ceilingPacketsPerSecond ?? 0))
    }

    /// A packet rate as the summary carries it: whole packets per second, rounded up so a small
    /// demand is not reported as unknown; not finite or negative counts as 0 (unknown).
    static func rate(_ packetsPerSecond: Double) -> UInt32 {
        guard packetsPerSecond.isFinite, packetsPerSecond > 0 else { return 0 }
        return packetsPerSecond >= Double(UInt32.max) ? .max : UInt32(packetsPerSecond.rounded(.up))
    }

    /// `version` as the summary accepts it: control characters replaced, at most 255 UTF-8
    /// bytes, never empty (a configured version is not refused for being odd; the heartbeat must go).
    static func displayable(_ version: String) -> String {
        var text = ""
        for character in version {
            let shown =
                character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "?" : character
            guard text.utf8.count + String(shown).utf8.count <= 255 else { break }
            text.append(shown)
        }
        return text.isEmpty ? "unknown" : text
    }
}
