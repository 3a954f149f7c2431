import Foundation
import OutpostCore
import OutpostWire
import Synchronization

/// The configuration the agent runs, persisted in its state directory so a restart without a
/// collector keeps probing what it probed before.
///
/// The file holds the collector's snapshot as sent (version + JSON payload), written atomically
/// with mode 0600. It carries no secrets yet (ping targets only); when SNMP credentials join
/// the snapshot they must be encrypted here.
public final class ConfigurationCache: Sendable {
    private struct Stored: Codable {
        let version: String
        let payload: [UInt8]
    }

    private let path: String
    private let current = Mutex<(version: String, configuration: AgentConfiguration)?>(nil)

    /// Loads the cached snapshot from `path` when there is one.
    public init(path: String) throws {
        self.path = path
        if let data = FileManager.default.contents(atPath: path) {
            let stored = try JSONDecoder().decode(Stored.self, from: data)
            let configuration = try AgentConfiguration(encoded: stored.payload)
            current.withLock { $0 = (stored.version, configuration) }
        }
    }

    /// The version of the configuration in force, if any.
    public var version: String? { current.withLock { $0?.version } }

    /// The configuration in force, if any.
    public var configuration: AgentConfiguration? { current.withLock { $0?.configuration } }

    /// Validates, persists and adopts a snapshot; returns the configuration.
    public func adopt(_ snapshot: ConfigSnapshot) throws -> AgentConfiguration {
        let configuration = try AgentConfiguration(encoded: snapshot.payload)
        let data = try JSONEncoder().encode(Stored(version: snapshot.version, payload: snapshot.payload))
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        // rename(2) replaces atomically whether or not the file exists yet.
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        current.withLock { $0 = (snapshot.version, configuration) }
        return configuration
    }
}
