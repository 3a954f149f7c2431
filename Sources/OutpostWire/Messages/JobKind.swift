/// What a job (or a generic batch result) is. Open: an agent receiving a kind it does not
/// know answers with a failed ``JobResult`` rather than dropping the session.
public struct JobKind: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// A discovery sweep of an address range.
    public static let discovery = JobKind(rawValue: 1)
    /// A traceroute to one target.
    public static let traceroute = JobKind(rawValue: 2)
    /// An MTR run (repeated traceroute with per-hop statistics) to one target.
    public static let mtr = JobKind(rawValue: 3)
    /// The LLDP and CDP neighbours of one device (a generic batch result only, never a job).
    public static let neighbours = JobKind(rawValue: 4)
}
