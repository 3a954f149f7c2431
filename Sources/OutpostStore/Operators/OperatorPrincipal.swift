import Foundation

/// An authenticated operator: the user behind a login session or an API token.
public struct OperatorPrincipal: Sendable, Equatable {
    public let userID: Int32
    public let username: String
    public let role: OperatorRole
    /// The regions assigned to the user (what a regional manager may see and change).
    public let regions: Set<String>
    /// The API token used, if any (`nil`: a login session).
    public let tokenID: UUID?

    public init(userID: Int32, username: String, role: OperatorRole, regions: Set<String>, tokenID: UUID? = nil) {
        self.userID = userID
        self.username = username
        self.role = role
        self.regions = regions
        self.tokenID = tokenID
    }

    /// The regions this operator's reads and writes are limited to: `nil` for every region
    /// (all roles but regional manager), the assigned regions for a regional manager.
    public var regionScope: Set<String>? { role == .regionalManager ? regions : nil }
}
