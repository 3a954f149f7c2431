import OutpostCore

/// One result the agent's probes produce, on its way into a batch.
///
/// Indirect, so a queued result is one reference: the streams between the probes and the
/// ``Batcher`` keep the capacity of their largest backlog after draining, and a backlog of
/// 60,000 results then keeps 480 KB rather than the ~12 MB of the payloads held inline
/// (docs/architecture.md, "Agent memory").
public indirect enum ProbeResult: Sendable, Equatable {
    /// A ping round of one device.
    case ping(PingRoundResult)
    /// A polled SNMP item value (or the reason it could not be read).
    case item(ItemSample)
    /// A host a discovery job found (sent in the batch's generic section).
    case finding(DiscoveryFinding)
    /// The LLDP and CDP neighbours of one device (sent in the batch's generic section).
    case neighbours(NeighbourReport)
}
