import NIOCore
import OutpostCore
import Synchronization

/// The live agent connections of this collector, by agent, so a revocation can end them at
/// once whichever of the agent's certificates authenticated them, and so the operator API can
/// tell which agents are connected now.
public final class SessionRegistry: Sendable {
    private let channels = Mutex<[AgentID: [ObjectIdentifier: any Channel]]>([:])

    public init() {}

    func register(_ channel: any Channel, agent: AgentID) {
        channels.withLock { $0[agent, default: [:]][ObjectIdentifier(channel)] = channel }
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

    /// One live session of `agent` on this collector, to send it a message, or `nil`.
    func channel(of agent: AgentID) -> (any Channel)? {
        channels.withLock { $0[agent]?.values.first }
    }

    /// Closes every connection of one of `agents`; returns how many.
    @discardableResult
    func close(agents: Set<AgentID>) -> Int {
        let doomed = channels.withLock { registered in agents.flatMap { registered[$0]?.values.map { $0 } ?? [] } }
        for channel in doomed { channel.close(promise: nil) }
        return doomed.count
    }
}
