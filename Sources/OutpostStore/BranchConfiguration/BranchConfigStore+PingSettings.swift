import Foundation
import PostgresNIO

extension BranchConfigStore {
    /// How agents ping: `system_config` keys `ping.interval_seconds` and `ping.packets` (their
    /// ranges in ``SystemSetting``, defaults here). A value out of range or unreadable is logged
    /// and the default used, so one bad row never stops configuration distribution. Agents
    /// space echo requests 1 s apart and wait 1 s for the last reply, so a round lasts
    /// `packets` seconds: a shorter interval is raised to that.
    public struct PingSettings: Sendable, Equatable {
        /// Seconds between rounds of one device.
        public var intervalSeconds: Double = 10
        /// Echo requests per round.
        public var packets: Int = 3

        public init() {}
    }

    /// The `system_config` keys read by ``pingSettings(on:)``.
    public enum PingSettingKey {
        public static let interval = "ping.interval_seconds"
        public static let packets = "ping.packets"
    }

    /// The ping settings every agent receives.
    public func pingSettings(on connection: PostgresConnection) async throws -> PingSettings {
        let rows = try await connection.query(
            "SELECT key, value FROM system_config WHERE key IN (\(PingSettingKey.interval), \(PingSettingKey.packets))",
            logger: logger)
        var settings = PingSettings()
        for try await (key, value) in rows.decode((String, String?).self) {
            switch key {
            case PingSettingKey.interval:
                if let seconds = SystemSetting.pingInterval.value(of: value) {
                    settings.intervalSeconds = seconds
                } else {
                    logger.error(
                        "system_config \(key) out of range or unreadable; using \(settings.intervalSeconds)",
                        metadata: ["value": "\(value ?? "NULL")"])
                }
            default:
                if let packets = SystemSetting.pingPackets.value(of: value) {
                    settings.packets = Int(packets)
                } else {
                    logger.error(
                        "system_config \(key) out of range or unreadable; using \(settings.packets)",
                        metadata: ["value": "\(value ?? "NULL")"])
                }
            }
        }
        if settings.intervalSeconds < Double(settings.packets) {
            logger.error(
                "system_config ping.interval_seconds is shorter than a round of ping.packets packets; using \(settings.packets) s"
            )
            settings.intervalSeconds = Double(settings.packets)
        }
        return settings
    }
}
