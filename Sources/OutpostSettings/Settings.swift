import Foundation

/// A program's configuration: command-line flags over environment variables over a TOML file
/// over defaults, validated at start with errors that name the option and its source.
public struct Settings: Sendable {
    private let file: SettingsFile?
    private let environment: [String: String]

    /// Settings from `file` (if any) and `environment` (the process environment by default).
    ///
    /// - Parameter known: every option the program has; a key of the file that is not one of
    ///   them is refused, so a typo never silently falls back to a default.
    public init(
        file: SettingsFile?, known: [SettingKey], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SettingsError) {
        if let file {
            let names = Set(known.map(\.name))
            if let unknown = file.values.keys.sorted().first(where: { !names.contains($0) }) {
                throw SettingsError(
                    "\(file.path): unknown option \(unknown) (known: \(names.sorted().joined(separator: ", ")))")
            }
        }
        self.file = file
        self.environment = environment
    }

    /// The raw text of `key` and where it came from; `nil` when it is set nowhere. A flag's
    /// value is passed in as `flag`.
    public func text(_ key: SettingKey, flag: String? = nil) throws(SettingsError) -> (String, SettingSource)? {
        if let flag { return (flag, .flag(key.flag ?? key.name)) }
        if let value = environment[key.environmentVariable], !value.isEmpty {
            return (value, .environment(key.environmentVariable))
        }
        guard let file, let value = file.values[key.name] else { return nil }
        guard case .scalar(let text) = value else {
            throw SettingsError.invalid(key, source: .file(file.path), expected: "a single value", got: "an array")
        }
        return (text, .file(file.path))
    }

    /// A list of values: a flag given several times, a comma-separated environment variable or
    /// a TOML array (a single TOML string is a one-element list).
    public func list(_ key: SettingKey, flags: [String] = []) -> ([String], SettingSource)? {
        if !flags.isEmpty { return (flags, .flag(key.flag ?? key.name)) }
        if let value = environment[key.environmentVariable], !value.isEmpty {
            let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            return (items, .environment(key.environmentVariable))
        }
        guard let file, let value = file.values[key.name] else { return nil }
        switch value {
        case .list(let items): return (items, .file(file.path))
        case .scalar(let item): return ([item], .file(file.path))
        }
    }

    /// `key` parsed by `parse`, which returns `nil` for an unusable value described by `expected`.
    public func value<Value>(
        _ key: SettingKey, flag: String? = nil, expected: String, _ parse: (String) -> Value?
    ) throws(SettingsError) -> Value? {
        guard let (text, source) = try self.text(key, flag: flag) else { return nil }
        guard let value = parse(text) else {
            throw SettingsError.invalid(key, source: source, expected: expected, got: text.debugDescription)
        }
        return value
    }
}
