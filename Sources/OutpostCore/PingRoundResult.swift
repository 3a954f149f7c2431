import Foundation

/// The outcome of one ping round against one device: what `ping_results` stores.
///
/// Round-trip times are milliseconds with sub-millisecond precision; `nil` when no reply came.
public struct PingRoundResult: Sendable, Equatable {
    /// The device that was probed.
    public var deviceID: DeviceID
    /// The address that was probed, as text (IPv4 or IPv6).
    public var deviceIP: String
    /// When the round started (UTC).
    public var timestamp: Date
    /// Echo requests sent in this round.
    public var packetsSent: Int
    /// Distinct echo replies received in time (duplicates are not counted).
    public var packetsReceived: Int
    /// Smallest round-trip time in milliseconds.
    public var minRTT: Double?
    /// Mean round-trip time in milliseconds.
    public var avgRTT: Double?
    /// Largest round-trip time in milliseconds.
    public var maxRTT: Double?
    /// Population standard deviation of the round-trip times in milliseconds (jitter).
    public var stddevRTT: Double?

    /// Creates a round result.
    public init(
        deviceID: DeviceID, deviceIP: String, timestamp: Date,
        packetsSent: Int, packetsReceived: Int,
        minRTT: Double? = nil, avgRTT: Double? = nil, maxRTT: Double? = nil, stddevRTT: Double? = nil
    ) {
        self.deviceID = deviceID
        self.deviceIP = deviceIP
        self.timestamp = timestamp
        self.packetsSent = packetsSent
        self.packetsReceived = packetsReceived
        self.minRTT = minRTT
        self.avgRTT = avgRTT
        self.maxRTT = maxRTT
        self.stddevRTT = stddevRTT
    }

    /// Loss as a percentage in 0...100 (not a fraction), as `ping_results.packet_loss_percent` stores it.
    /// Computed in floating point, so no pair of counts can overflow; a round claiming more
    /// replies than requests is clamped to 0 (the collector refuses such rows before storing).
    public var lossPercent: Double {
        guard packetsSent > 0 else { return 100 }
        let lost = (Double(packetsSent) - Double(packetsReceived)) * 100 / Double(packetsSent)
        return min(100, max(0, lost))
    }

    /// A device is reachable in a round when at least one reply arrived.
    public var isReachable: Bool { packetsReceived > 0 }
}
