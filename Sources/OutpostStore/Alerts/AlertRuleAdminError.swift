import Foundation

/// An alert rule operation on a rule that does not exist.
public enum AlertRuleAdminError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rule has this id.
    case notFound(UUID)

    public var description: String {
        switch self {
        case .notFound(let id): "no alert rule has id \(id.uuidString.lowercased())"
        }
    }
}
