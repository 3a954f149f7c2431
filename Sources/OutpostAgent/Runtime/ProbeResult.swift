import OutpostCore

/// One result the agent's probes produce, on its way into a batch.
public enum ProbeResult: Sendable, Equatable {
    /// A ping round of one device.
    case ping(PingRoundResult)
    /// A polled SNMP item value (or the reason it could not be read).
    case item(ItemSample)
    /// A host a discovery job found (sent in the batch's generic section).
    case finding(DiscoveryFinding)
    /// The LLDP and CDP neighbours of one device (sent in the batch's generic section).
    case neighbours(NeighbourReport)
}
