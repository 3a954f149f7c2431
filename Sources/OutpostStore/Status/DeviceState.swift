/// A device's reachability as ingest last derived it (`standalone_devices.down_since`,
/// `last_seen`): what operators, the JSON API and `outpost-collector status` show.
public enum DeviceState: String, Sendable, Codable, CaseIterable {
    /// The newest round got a reply (`down_since` is NULL and the device was seen).
    case up
    /// No reply since `down_since` (set by ingest on the first failed round).
    case down
    /// Never probed, or never answered and never marked down: nothing known yet.
    case unknown

    /// The SQL expression deriving the state of `standalone_devices` row `d` (one place for the
    /// rule, used by every status query).
    static let sql = """
        CASE WHEN d.down_since IS NOT NULL THEN 'down' WHEN d.last_seen IS NOT NULL THEN 'up' ELSE 'unknown' END
        """
}
