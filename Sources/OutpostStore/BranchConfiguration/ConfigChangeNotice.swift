import Foundation

extension BranchConfigStore {
    /// The `NOTIFY` channel on which migration 4's triggers announce configuration changes,
    /// with a ``ConfigChangeNotice`` JSON payload.
    public static let changeChannel = "outpost_config_changed"
}

/// The payload of a ``BranchConfigStore/changeChannel`` notification: which agents'
/// configuration may have changed.
public enum ConfigChangeNotice: Sendable, Hashable {
    /// The agents of one branch: `{"branch":"<uuid>"}`.
    case branch(UUID)
    /// Every agent (a setting they all receive changed): `{"all":true}`.
    case allBranches

    private struct Payload: Decodable {
        let branch: UUID?
        let all: Bool?
    }

    /// Decodes a notification payload.
    /// - Throws: `DecodingError`, or ``UnreadablePayload`` when the JSON names neither a branch nor all.
    public init(payload: String) throws {
        let decoded = try JSONDecoder().decode(Payload.self, from: Data(payload.utf8))
        if let branch = decoded.branch {
            self = .branch(branch)
        } else if decoded.all == true {
            self = .allBranches
        } else {
            throw UnreadablePayload()
        }
    }

    /// A JSON payload without `branch` or `"all": true`.
    public struct UnreadablePayload: Error, CustomStringConvertible {
        public var description: String { "configuration change notice names neither a branch nor all branches" }
    }
}
