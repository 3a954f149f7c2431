import Foundation

/// A device's figures over a range, for a branch's summary.
public struct DeviceHistorySummary: Sendable, Codable {
    public var deviceID: UUID
    public var name: String
    public var ip: String
    /// Mean RTT over the packets received, milliseconds (`nil`: no reply in the range).
    public var avgRTT: Double?
    /// Highest RTT, milliseconds.
    public var maxRTT: Double?
    /// Packets lost of those sent, percent.
    public var lossPercent: Double?
    /// Share of the measured time the device was reachable, percent (`nil`: no rounds).
    public var availabilityPercent: Double?
    /// Ping rounds in the range.
    public var samples: Int

    public init(
        deviceID: UUID, name: String, ip: String, avgRTT: Double?, maxRTT: Double?, lossPercent: Double?,
        availabilityPercent: Double?, samples: Int
    ) {
        self.deviceID = deviceID
        self.name = name
        self.ip = ip
        self.avgRTT = avgRTT
        self.maxRTT = maxRTT
        self.lossPercent = lossPercent
        self.availabilityPercent = availabilityPercent
        self.samples = samples
    }
}
