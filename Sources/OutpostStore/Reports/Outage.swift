import Foundation

/// A down episode of a device within a report's range: a run of one-minute roll-up buckets
/// with unreachable seconds, not interrupted by a bucket without any (minutes without rounds,
/// e.g. while an agent was away and before its spool was replayed, do not end it).
public struct Outage: Sendable, Codable, Equatable {
    public var deviceID: UUID
    public var deviceName: String
    public var branch: String?
    public var region: String?
    public var deviceType: String?
    /// The key of the report row the outage belongs to (see ``AvailabilityRow/key``).
    public var group: String
    /// The first down minute (clipped to the range's start).
    public var start: Date
    /// The end of the last down minute (clipped to the range's end).
    public var end: Date
    /// Unreachable seconds the roll-ups hold for it.
    public var downSeconds: Double
    /// Whether it began inside a maintenance window of the device: then it counts in no figure.
    public var inMaintenance: Bool
    /// Alerts of the device triggered while it lasted.
    public var alerts: [OutageAlert]

    /// `end - start`, seconds.
    public var durationSeconds: Double { end.timeIntervalSince(start) }

    public init(
        deviceID: UUID, deviceName: String, branch: String?, region: String?, deviceType: String?, group: String,
        start: Date, end: Date, downSeconds: Double, inMaintenance: Bool, alerts: [OutageAlert]
    ) {
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.branch = branch
        self.region = region
        self.deviceType = deviceType
        self.group = group
        self.start = start
        self.end = end
        self.downSeconds = downSeconds
        self.inMaintenance = inMaintenance
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case deviceID = "deviceId"
        case deviceName, branch, region, deviceType, group, start, end, durationSeconds, downSeconds
        case inMaintenance, alerts
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            deviceID: try values.decode(UUID.self, forKey: .deviceID),
            deviceName: try values.decode(String.self, forKey: .deviceName),
            branch: try values.decodeIfPresent(String.self, forKey: .branch),
            region: try values.decodeIfPresent(String.self, forKey: .region),
            deviceType: try values.decodeIfPresent(String.self, forKey: .deviceType),
            group: try values.decode(String.self, forKey: .group), start: try values.decode(Date.self, forKey: .start),
            end: try values.decode(Date.self, forKey: .end),
            downSeconds: try values.decode(Double.self, forKey: .downSeconds),
            inMaintenance: try values.decode(Bool.self, forKey: .inMaintenance),
            alerts: try values.decode([OutageAlert].self, forKey: .alerts))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(deviceID, forKey: .deviceID)
        try values.encode(deviceName, forKey: .deviceName)
        try values.encodeIfPresent(branch, forKey: .branch)
        try values.encodeIfPresent(region, forKey: .region)
        try values.encodeIfPresent(deviceType, forKey: .deviceType)
        try values.encode(group, forKey: .group)
        try values.encode(start, forKey: .start)
        try values.encode(end, forKey: .end)
        try values.encode(durationSeconds, forKey: .durationSeconds)
        try values.encode(downSeconds, forKey: .downSeconds)
        try values.encode(inMaintenance, forKey: .inMaintenance)
        try values.encode(alerts, forKey: .alerts)
    }
}

/// An alert raised during an outage.
public struct OutageAlert: Sendable, Codable, Equatable {
    public var id: UUID
    public var ruleName: String?
    public var severity: String
    public var triggeredAt: Date
    public var resolvedAt: Date?

    public init(id: UUID, ruleName: String?, severity: String, triggeredAt: Date, resolvedAt: Date?) {
        self.id = id
        self.ruleName = ruleName
        self.severity = severity
        self.triggeredAt = triggeredAt
        self.resolvedAt = resolvedAt
    }
}

/// An availability report: its rows, and the outages behind them, oldest first.
public struct AvailabilityReport: Sendable, Codable, Equatable {
    public var from: Date
    public var to: Date
    public var by: ReportGrouping
    public var rows: [AvailabilityRow]
    public var outages: [Outage]

    public init(window: ReportWindow, by: ReportGrouping, rows: [AvailabilityRow], outages: [Outage]) {
        from = window.from
        to = window.to
        self.by = by
        self.rows = rows
        self.outages = outages
    }
}
