/// A typed key of `system_config` that the collector reads: its type, range, default and
/// meaning. ``all`` is the registry operators may list and change.
public struct SystemSetting: Sendable, Equatable {
    /// The value's type.
    public enum Kind: String, Sendable {
        case integer, number
    }

    public let key: String
    public let kind: Kind
    /// The values accepted.
    public let range: ClosedRange<Double>
    /// The value used while none (or none valid) is stored.
    public let defaultValue: Double
    public let description: String

    /// Every setting operators may change.
    public static let all: [SystemSetting] = [pingInterval, pingPackets]

    /// Seconds between ping rounds of one device.
    public static let pingInterval = SystemSetting(
        key: BranchConfigStore.PingSettingKey.interval, kind: .number, range: 0.5...3600,
        defaultValue: BranchConfigStore.PingSettings().intervalSeconds,
        description:
            "Seconds between ping rounds of one device (raised to ping.packets seconds, the length of a round)")

    /// Echo requests per ping round.
    public static let pingPackets = SystemSetting(
        key: BranchConfigStore.PingSettingKey.packets, kind: .integer, range: 1...100,
        defaultValue: Double(BranchConfigStore.PingSettings().packets),
        description: "Echo requests per ping round, sent 1 s apart")

    /// The setting named `key`, or `nil` when there is none.
    public static func named(_ key: String) -> SystemSetting? {
        all.first { $0.key == key }
    }

    /// `value` as `system_config` stores it, or why it is refused.
    public func text(for value: Double) throws(SystemSettingError) -> String {
        guard value.isFinite, range.contains(value) else {
            throw .outOfRange(
                key: key, reason: "must be \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
        }
        if kind == .integer, value.rounded() != value {
            throw .outOfRange(key: key, reason: "must be a whole number")
        }
        return Self.format(value)
    }

    /// The value stored as `text`, or `nil` when it is missing, unreadable or out of range.
    public func value(of text: String?) -> Double? {
        guard let text, let value = Double(text), (try? self.text(for: value)) != nil else { return nil }
        return value
    }

    /// A whole number without a fraction, any other number as Swift prints it.
    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// A setting change was refused; nothing was changed.
public enum SystemSettingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No setting has this key.
    case unknownKey(String)
    /// The value is outside the setting's range or of the wrong kind.
    case outOfRange(key: String, reason: String)

    public var description: String {
        switch self {
        case .unknownKey(let key): "no setting \(key.debugDescription)"
        case .outOfRange(let key, let reason): "\(key): \(reason)"
        }
    }
}
