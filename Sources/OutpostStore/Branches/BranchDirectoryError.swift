import Foundation

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
