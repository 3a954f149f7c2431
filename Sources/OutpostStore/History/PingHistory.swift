import Foundation

/// One point of a device's ping chart: the rounds of one bucket.
public struct PingHistoryPoint: Sendable, Codable, Equatable {
    /// Start of the bucket (UTC).
    public var time: Date
    /// Lowest RTT of the bucket, milliseconds (`nil`: no reply).
    public var minRTT: Double?
    /// Mean RTT over the packets received, milliseconds.
    public var avgRTT: Double?
    /// Highest RTT, milliseconds.
    public var maxRTT: Double?
    /// Packets lost of those sent, percent.
    public var lossPercent: Double?
    /// Ping rounds in the bucket.
    public var samples: Int
    /// Seconds of the bucket counted up: its length times the share of reachable rounds.
    public var upSeconds: Double
    /// Seconds counted down (the rest of the bucket).
    public var downSeconds: Double

    public init(
        time: Date, minRTT: Double?, avgRTT: Double?, maxRTT: Double?, lossPercent: Double?, samples: Int,
        upSeconds: Double, downSeconds: Double
    ) {
        self.time = time
        self.minRTT = minRTT
        self.avgRTT = avgRTT
        self.maxRTT = maxRTT
        self.lossPercent = lossPercent
        self.samples = samples
        self.upSeconds = upSeconds
        self.downSeconds = downSeconds
    }
}

/// A device's ping chart over a range: buckets with rounds only, oldest first (a gap is a
/// bucket without rounds).
public struct PingHistory: Sendable, Codable {
    public var resolution: HistoryResolution
    /// Length of each point's bucket.
    public var bucketSeconds: Int
    public var from: Date
    public var to: Date
    public var points: [PingHistoryPoint]

    public init(resolution: HistoryResolution, bucketSeconds: Int, from: Date, to: Date, points: [PingHistoryPoint]) {
        self.resolution = resolution
        self.bucketSeconds = bucketSeconds
        self.from = from
        self.to = to
        self.points = points
    }
}
