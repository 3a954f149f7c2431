import Foundation

/// One point of an SNMP item's chart: the numeric samples of one bucket.
public struct ItemHistoryPoint: Sendable, Codable, Equatable {
    /// Start of the bucket (UTC).
    public var time: Date
    public var min: Double?
    /// Mean of the samples (weighted by samples when read from roll-ups).
    public var avg: Double?
    public var max: Double?
    /// Samples in the bucket.
    public var samples: Int

    public init(time: Date, min: Double?, avg: Double?, max: Double?, samples: Int) {
        self.time = time
        self.min = min
        self.avg = avg
        self.max = max
        self.samples = samples
    }
}

/// A numeric SNMP item's chart over a range. Counters are charted as their per-second rate,
/// other numeric types as their value.
public struct ItemHistory: Sendable, Codable {
    public var itemID: UUID
    /// The item's name (its OID name when it has none).
    public var name: String
    public var oid: String
    /// The item's unit as configured (e.g. `bps`, `%`), if any.
    public var unit: String?
    /// The item's SNMP value type (`integer`, `counter64`, …).
    public var valueType: String
    /// Whether the points are a per-second rate (counters) rather than the value.
    public var isRate: Bool
    public var resolution: HistoryResolution
    /// Length of each point's bucket.
    public var bucketSeconds: Int
    /// Buckets with samples only, oldest first.
    public var points: [ItemHistoryPoint]

    public init(
        itemID: UUID, name: String, oid: String, unit: String?, valueType: String, isRate: Bool,
        resolution: HistoryResolution, bucketSeconds: Int, points: [ItemHistoryPoint]
    ) {
        self.itemID = itemID
        self.name = name
        self.oid = oid
        self.unit = unit
        self.valueType = valueType
        self.isRate = isRate
        self.resolution = resolution
        self.bucketSeconds = bucketSeconds
        self.points = points
    }
}
