/// One option of a program's configuration, with the three places it can be set.
///
/// Precedence: the command-line flag, then the environment variable, then the TOML file, then
/// the program's default.
public struct SettingKey: Hashable, Sendable {
    /// The dotted TOML path, e.g. `spool.max_bytes` (table `[spool]`, key `max_bytes`).
    public let name: String
    /// The environment variable overriding the file, e.g. `OUTPOST_AGENT_SPOOL_MAX_BYTES`.
    public let environmentVariable: String
    /// The command-line flag overriding both, e.g. `--spool-max-bytes` (for messages only).
    public let flag: String?

    /// An option named `name` in the file, overridden by `environmentVariable` and `flag`.
    public init(_ name: String, environment environmentVariable: String, flag: String? = nil) {
        self.name = name
        self.environmentVariable = environmentVariable
        self.flag = flag
    }
}

/// Where a setting's value came from, for error messages.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .flag(let flag): flag
        case .environment(let variable): "$\(variable)"
        case .file(let path): path
        }
    }
}
