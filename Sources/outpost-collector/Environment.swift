import Foundation

/// Reads process environment variables.
enum Environment {
    /// The value of `name`, or `nil` when unset or empty.
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
