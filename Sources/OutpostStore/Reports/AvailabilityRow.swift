import Foundation

/// One row of an availability report: a device, or the devices of a branch, region or type.
///
/// Time is counted outside maintenance windows only: `upSeconds` and `downSeconds` are the
/// roll-ups' reachable and unreachable seconds (unknown time, when no round was written, is
/// neither), so availability is up / (up + down) of the monitored time less maintenance.
public struct AvailabilityRow: Sendable, Codable, Equatable {
    /// The device id (lower case), branch name, region or type; `(none)` for devices without one.
    public var key: String
    /// What an operator reads: the device's or branch's name, the region, the type.
    public var name: String
    /// Devices counted in the row.
    public var devices: Int
    public var upSeconds: Double
    public var downSeconds: Double
    /// Outages outside maintenance windows.
    public var outages: Int
    /// Total duration of those outages, seconds.
    public var outageSeconds: Double

    /// Monitored seconds outside maintenance.
    public var monitoredSeconds: Double { upSeconds + downSeconds }
    /// Up share of the monitored time, percent (`nil`: nothing monitored).
    public var availabilityPercent: Double? {
        monitoredSeconds > 0 ? 100 * upSeconds / monitoredSeconds : nil
    }
    /// Mean time to repair: mean outage duration, seconds (`nil`: no outage).
    public var mttrSeconds: Double? { outages > 0 ? outageSeconds / Double(outages) : nil }
    /// Mean time between failures: up time per outage, seconds (`nil`: no outage).
    public var mtbfSeconds: Double? { outages > 0 ? upSeconds / Double(outages) : nil }

    public init(
        key: String, name: String, devices: Int, upSeconds: Double, downSeconds: Double, outages: Int,
        outageSeconds: Double
    ) {
        self.key = key
        self.name = name
        self.devices = devices
        self.upSeconds = upSeconds
        self.downSeconds = downSeconds
        self.outages = outages
        self.outageSeconds = outageSeconds
    }

    enum CodingKeys: String, CodingKey {
        case key, name, devices, upSeconds, downSeconds, monitoredSeconds, availabilityPercent, outages
        case outageSeconds, mttrSeconds, mtbfSeconds
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try values.decode(String.self, forKey: .key), name: try values.decode(String.self, forKey: .name),
            devices: try values.decode(Int.self, forKey: .devices),
            upSeconds: try values.decode(Double.self, forKey: .upSeconds),
            downSeconds: try values.decode(Double.self, forKey: .downSeconds),
            outages: try values.decode(Int.self, forKey: .outages),
            outageSeconds: try values.decode(Double.self, forKey: .outageSeconds))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(key, forKey: .key)
        try values.encode(name, forKey: .name)
        try values.encode(devices, forKey: .devices)
        try values.encode(upSeconds, forKey: .upSeconds)
        try values.encode(downSeconds, forKey: .downSeconds)
        try values.encode(monitoredSeconds, forKey: .monitoredSeconds)
        try values.encodeIfPresent(availabilityPercent, forKey: .availabilityPercent)
        try values.encode(outages, forKey: .outages)
        try values.encode(outageSeconds, forKey: .outageSeconds)
        try values.encodeIfPresent(mttrSeconds, forKey: .mttrSeconds)
        try values.encodeIfPresent(mtbfSeconds, forKey: .mtbfSeconds)
    }
}
