extension Migration {
    /// LLDP and CDP topology (docs/topology.md): `network_topology` gains the local port
    /// number, the remote chassis id, system name and management address, and `aged_out_at`
    /// (edges not seen for the configured age are marked inactive, not deleted); a unique index
    /// per (device, protocol, local port, remote chassis, remote port) for the walks' upserts.
    static let topology = Migration(
        version: 24,
        name: "topology",
        sql: EmbeddedResources.text("Migrations/0024-topology.sql")
    )
}
