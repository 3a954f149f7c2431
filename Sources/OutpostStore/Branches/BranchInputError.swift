import Foundation

/// A branch field refused, and why.
public struct BranchInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field as the API names it (`name`, `display_name_ka`, `city`, …).
    public let field: String
    /// Why, for a human.
    public let reason: String

    /// An error for `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// "field: reason".
    public var description: String { "\(field): \(reason)" }
}

/// A branch operation refused for the state of the database rather than its input.
public enum BranchDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No branch has this id.
    case notFound(UUID)
    /// Agents are enrolled for the branch (`agents.branch_id` is RESTRICT): they must be
    /// deleted first; deleting the branch would orphan their certificates.
    case agentsEnrolled(branch: String, count: Int)

    public var description: String {
        switch self {
        case .notFound(let id): "no branch has id \(id.uuidString.lowercased())"
        case .agentsEnrolled(let branch, let count):
            "branch \(branch) has \(count) enrolled agent\(count == 1 ? "" : "s"); remove them before deleting it"
        }
    }
}
