import Logging
import PostgresNIO

/// The operator-changeable keys of `system_config` (``SystemSetting/all``); a change notifies
/// the collectors through the table's trigger, which push it to their agents.
public struct SystemSettingStore: Sendable {
    /// A setting and its effective value.
    public struct Value: Sendable, Equatable {
        public let setting: SystemSetting
        /// The stored value when it is valid, else the default.
        public let value: Double
        /// Whether no valid value is stored.
        public let isDefault: Bool
    }

    /// The audit log's entity name for settings (the entity id is the key).
    public static let auditEntity = "setting"

    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every known setting with its value, in registry order.
    public func list(on connection: PostgresConnection) async throws -> [Value] {
        let stored = try await storedTexts(on: connection)
        return SystemSetting.all.map { setting in
            let value = setting.value(of: stored[setting.key] ?? nil)
            return Value(setting: setting, value: value ?? setting.defaultValue, isDefault: value == nil)
        }
    }

    /// Stores `value` for `key` with an audit entry (none when it is unchanged); returns the setting's value.
    public func set(_ key: String, to value: Double, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> Value
    {
        guard let setting = SystemSetting.named(key) else { throw SystemSettingError.unknownKey(key) }
        let text = try setting.text(for: value)
        return try await connection.transaction(logger: logger) { connection in
            let before = try await self.storedTexts(on: connection)[key] ?? nil
            if before != text {
                try await connection.query(
                    """
                    INSERT INTO system_config (key, value, description) VALUES (\(key), \(text), \(setting.description))
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
                    """, logger: logger)
                try await AuditLog(logger: logger).append(
                    .diff(
                        action: before == nil ? "create" : "update", entity: Self.auditEntity, entityID: key,
                        before: before.map { ["value": .text($0)] } ?? [:], after: ["value": .text(text)]),
                    by: actor, on: connection)
            }
            return Value(setting: setting, value: value, isDefault: false)
        }
    }

    private func storedTexts(on connection: PostgresConnection) async throws -> [String: String?] {
        let rows = try await connection.query(
            "SELECT key, value FROM system_config WHERE key = ANY(\(SystemSetting.all.map(\.key)))", logger: logger)
        var texts: [String: String?] = [:]
        for try await (key, value) in rows.decode((String, String?).self) { texts[key] = value }
        return texts
    }
}
