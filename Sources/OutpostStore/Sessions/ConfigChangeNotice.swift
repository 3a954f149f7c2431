import Foundation

extension BranchConfigStore {
    /// The `NOTIFY` channel on which migration 4's triggers announce configuration changes,
    /// with a ``ConfigChangeNotice`` JSON payload.
    public static let changeChannel = "outpost_config_changed"
}

/// The payload of a ``BranchConfigStore/changeChannel`` notification: the branch whose agent
/// configuration may have changed.
public struct ConfigChangeNotice: Sendable, Codable, Equatable {
    /// The branch to recompute.
    public let branch: UUID

    /// Creates a notice.
    public init(branch: UUID) {
        self.branch = branch
    }

    /// Decodes a notification payload such as `{"branch":"…"}`.
    /// - Throws: `DecodingError` when the payload is not that JSON.
    public init(payload: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(payload.utf8))
    }
}
