import NIOCore
import OutpostCore
import Synchronization

/// The live agent connections of this collector, by agent, so a revocation can end them at
/// once whichever of the agent's certificates authenticated them, so the operator API can
/// tell which agents are connected now, and so jobs can be sent to welcomed sessions.
public final class SessionRegistry: Sendable {
    /// A registered connection and whether its session has been welcomed.
    private struct Entry {
        let channel: any Channel
        var welcomed = false
    }

    private let channels = Mutex<[AgentID: [ObjectIdentifier: Entry]]>([:])

    public init() {}

    func register(_ channel: any Channel, agent: AgentID) {
        channels.withLock { $0[agent, default: [:]][ObjectIdentifier(channel)] = Entry(channel: channel) }
    }

    /// The session on `channel` sent its Welcome: messages such as jobs may follow.
    func markWelcomed(_ channel: any Channel, agent: AgentID) {
        channels.withLock { $0[agent]?[ObjectIdentifier(channel)]?.welcomed = true }
    }

    func unregister(_ channel: any Channel, agent: AgentID) {
        channels.withLock { registered in
            registered[agent]?[ObjectIdentifier(channel)] = nil
            if registered[agent]?.isEmpty == true { registered[agent] = nil }
        }
    }

    /// The agents with at least one live session on this collector.
    public var connectedAgents: Set<AgentID> {
        channels.withLock { Set($0.keys) }
    }

    /// The agents with at least one welcomed session on this collector.
    var welcomedAgents: Set<AgentID> {
        channels.withLock { Set($0.filter { $0.value.values.contains(where: \.welcomed) }.keys) }
    }

    /// One welcomed session of `agent` on this collector, to send it a message, or `nil`.
    func channel(of agent: AgentID) -> (any Channel)? {
        channels.withLock { $0[agent]?.values.first(where: \.welcomed)?.channel }
    }

    /// Closes every connection of one of `agents`; returns how many.
    @discardableResult
    func close(agents: Set<AgentID>) -> Int {
        let doomed = channels.withLock { registered in agents.flatMap { registered[$0]?.values.map(\.channel) ?? [] } }
        for channel in doomed { channel.close(promise: nil) }
        return doomed.count
    }
}
