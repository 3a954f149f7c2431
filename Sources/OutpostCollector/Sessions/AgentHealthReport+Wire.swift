import OutpostStore
import OutpostWire

extension AgentHealthReport {
    /// The summary of a heartbeat as stored; the decoder already refused counters above 2⁶³−1.
    init(_ health: AgentHealth) {
        self.init(
            agentVersion: health.agentVersion, residentBytes: Int64(clamping: health.residentBytes),
            anonymousBytes: Int64(clamping: health.anonymousBytes), spoolBytes: Int64(clamping: health.spoolBytes),
            spoolPendingBatches: Int64(clamping: health.spoolPendingBatches),
            spoolDroppedBatches: Int64(clamping: health.spoolDroppedBatches),
            spoolDroppedResults: Int64(clamping: health.spoolDroppedResults),
            roundsOverrun: Int64(clamping: health.roundsOverrun),
            icmpDemandPerSecond: Int64(health.icmpDemandPerSecond),
            icmpCeilingPerSecond: Int64(health.icmpCeilingPerSecond))
    }
}
