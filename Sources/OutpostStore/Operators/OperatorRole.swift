/// What a user may do (`users.role`): each role includes the ones below it, and a regional
/// manager's reach is limited to the regions assigned to them.
public enum OperatorRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Reads everything in reach.
    case viewer
    /// Also acknowledges and resolves alerts, runs diagnostics and discovery.
    case technician
    /// Also edits devices, within their regions only.
    case regionalManager = "regional_manager"
    /// Everything, including users, credentials, rules and settings.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .technician: 1
        case .regionalManager: 2
        case .admin: 3
        }
    }

    public static func < (lhs: OperatorRole, rhs: OperatorRole) -> Bool { lhs.rank < rhs.rank }
}
