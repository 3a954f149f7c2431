import Foundation

/// A device's stored baselines, as `outpost-collector baselines show` and
/// `GET /api/v1/devices/{id}/baselines` present them.
public struct DeviceBaselines: Sendable, Equatable {
    /// RTT and loss of one hour of week.
    public struct PingHour: Sendable, Equatable {
        public let hourOfWeek: Int
        public let rttMedianMs: Double?
        public let rttMADMs: Double?
        public let rttSamples: Int
        public let lossMedianPercent: Double?
        public let lossMADPercent: Double?
        public let lossSamples: Int
        public let computedAt: Date
    }

    /// One item's baseline of one hour of week.
    public struct ItemHour: Sendable, Equatable {
        public let itemID: UUID
        /// `monitoring_items.name`, else its `oid_name`: the name rules use.
        public let itemName: String
        public let hourOfWeek: Int
        public let median: Double
        public let mad: Double
        public let samples: Int
        public let computedAt: Date
    }

    /// The device.
    public let deviceID: UUID
    /// The end of the last day the baselines include (`nil`: the job has not run yet).
    public let computedThrough: Date?
    /// RTT and loss by hour of week (hours without a baseline are absent).
    public let ping: [PingHour]
    /// Item baselines by item name, then hour of week.
    public let items: [ItemHour]
}
