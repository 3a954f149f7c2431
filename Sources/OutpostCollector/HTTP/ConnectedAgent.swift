import OutpostStore

/// An agent as stored, plus whether it has a live session on this collector now.
struct ConnectedAgent: Encodable, Sendable {
    private enum Key: String, CodingKey {
        case connected
    }

    let status: AgentStatus
    let connected: Bool

    /// The stored fields and `connected` in one JSON object.
    func encode(to encoder: any Encoder) throws {
        try status.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(connected, forKey: .connected)
    }
}
