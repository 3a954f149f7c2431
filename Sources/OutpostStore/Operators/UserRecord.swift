import Foundation

/// A user as `user list` and the API show it (never the password hash).
public struct UserRecord: Sendable, Equatable, Encodable {
    public let id: Int32
    public let username: String
    public let email: String?
    public let fullName: String?
    public let role: OperatorRole
    public let regions: [String]
    public let isActive: Bool
    public let createdAt: Date
    public let lastLogin: Date?
    public let failedLogins: Int32
}

/// What a login attempt needs of a user.
public struct UserCredentials: Sendable {
    public let id: Int32
    public let username: String
    public let passwordHash: String
    public let isActive: Bool
    public let failedLogins: Int32
    public let lastFailedLogin: Date?
}
