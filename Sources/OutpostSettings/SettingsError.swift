/// A configuration that cannot be used, naming the option and where its value came from.
public struct SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The complete message, e.g. `spool.max_bytes (from /etc/outpost/agent.toml): expected a size like 512MiB, got "lots"`.
    public let description: String

    /// An error with the complete message `description`.
    public init(_ description: String) {
        self.description = description
    }

    public static func invalid(_ key: SettingKey, source: SettingSource, expected: String, got: String) -> SettingsError
    {
        SettingsError("\(key.name) (from \(source)): expected \(expected), got \(got)")
    }
}
