import Foundation

/// An alert rule field refused, and why.
public struct AlertRuleInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field as the API names it (`name`, `expression`, `webhooks`, …).
    public let field: String
    /// Why, for a human.
    public let reason: String
    /// For `expression`: the 0-based offset, in Unicode scalars, of the character refused.
    public let position: Int?

    /// An error for `field`.
    public init(field: String, reason: String, position: Int? = nil) {
        self.field = field
        self.reason = reason
        self.position = position
    }

    /// "field: reason".
    public var description: String { "\(field): \(reason)" }
}

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
