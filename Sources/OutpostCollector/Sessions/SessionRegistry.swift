import NIOCore
import OutpostCore
import Synchronization
import X509

/// The live agent connections of this collector, by certificate serial, so a revocation can
/// end them at once, and so the operator API can tell which agents are connected now.
public final class SessionRegistry: Sendable {
    private struct Session {
        let channel: any Channel
        let agentID: AgentID
    }

    private let sessions = Mutex<[Certificate.SerialNumber: [ObjectIdentifier: Session]]>([:])

    public init() {}

    func register(_ channel: any Channel, serial: Certificate.SerialNumber, agentID: AgentID) {
        sessions.withLock { $0[serial, default: [:]][ObjectIdentifier(channel)] = Session(channel: channel, agentID: agentID) }
    }

    func unregister(_ channel: any Channel, serial: Certificate.SerialNumber) {
        sessions.withLock { registered in
            registered[serial]?[ObjectIdentifier(channel)] = nil
            if registered[serial]?.isEmpty == true { registered[serial] = nil }
        }
    }

    /// The agents with at least one live session on this collector.
    public var connectedAgents: Set<AgentID> {
        sessions.withLock { registered in Set(registered.values.flatMap { $0.values.map(\.agentID) }) }
    }

    /// Closes every connection authenticated with one of `serials`; returns how many.
    @discardableResult
    func close(serials: Set<Certificate.SerialNumber>) -> Int {
        let doomed = sessions.withLock { registered in serials.flatMap { registered[$0]?.values.map(\.channel) ?? [] } }
        for channel in doomed { channel.close(promise: nil) }
        return doomed.count
    }
}
