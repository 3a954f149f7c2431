import Foundation
import OutpostCore
import OutpostPKI
import OutpostWire
import Synchronization

/// The configuration the agent runs, persisted in its state directory so a restart without a
/// collector keeps probing what it probed before.
///
/// The file holds the collector's snapshot (version + JSON payload), written atomically with
/// mode 0600. The snapshot carries SNMP credentials, so with a sealing key (derived from the
/// agent's private key) the payload is stored AES-GCM encrypted, bound to its version; a plain
/// file written before credentials existed is still read, and replaced by a sealed one on the
/// next snapshot.
public final class ConfigurationCache: Sendable {
    private struct Stored: Codable {
        let version: String
        /// The payload in clear (no sealing key, or a file from before sealing).
        var payload: [UInt8]?
        /// The payload sealed under the sealing key.
        var sealed: [UInt8]?
    }

    /// The purpose the agent's sealing key is derived for.
    static let sealingPurpose = "outpost-agent-configuration-cache-v1"

    private let path: String
    private let sealingKey: LocalSealingKey?
    private let current = Mutex<(version: String, configuration: AgentConfiguration)?>(nil)

    /// Loads the cached snapshot from `path` when there is one; `sealingKey` encrypts it on disk.
    public init(path: String, sealingKey: LocalSealingKey? = nil) throws {
        self.path = path
        self.sealingKey = sealingKey
        if let data = FileManager.default.contents(atPath: path) {
            let stored = try JSONDecoder().decode(Stored.self, from: data)
            let configuration = try AgentConfiguration(
                encoded: try Self.payload(of: stored, key: sealingKey, path: path))
            current.withLock { $0 = (stored.version, configuration) }
        }
    }

    /// The cache of the agent whose state directory is `stateDirectory` (`config.json`), sealed
    /// under a key derived from the agent's private key.
    public convenience init(stateDirectory: String, agentKey: P256Key) throws {
        try self.init(
            path: stateDirectory + "/config.json",
            sealingKey: LocalSealingKey(privateKey: agentKey, purpose: Self.sealingPurpose))
    }

    private static func payload(of stored: Stored, key: LocalSealingKey?, path: String) throws -> [UInt8] {
        if let payload = stored.payload { return payload }
        guard let sealed = stored.sealed, let key else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [
                    NSFilePathErrorKey: path,
                    NSLocalizedDescriptionKey: "sealed configuration cache and no sealing key",
                ])
        }
        do {
            return try key.open(sealed, context: Array(stored.version.utf8))
        } catch {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [
                    NSFilePathErrorKey: path,
                    NSLocalizedDescriptionKey:
                        "configuration cache does not open with this agent's key (altered, or written by an earlier enrolment): delete it",
                ])
        }
    }

    /// The version of the configuration in force, if any.
    public var version: String? { current.withLock { $0?.version } }

    /// The configuration in force, if any.
    public var configuration: AgentConfiguration? { current.withLock { $0?.configuration } }

    /// Validates, persists and adopts a snapshot; returns the configuration.
    public func adopt(_ snapshot: ConfigSnapshot) throws -> AgentConfiguration {
        let configuration = try AgentConfiguration(encoded: snapshot.payload)
        var stored = Stored(version: snapshot.version)
        if let sealingKey {
            stored.sealed = try sealingKey.seal(snapshot.payload, context: Array(snapshot.version.utf8))
        } else {
            stored.payload = snapshot.payload
        }
        let data = try JSONEncoder().encode(stored)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown)
        }
        // rename(2) replaces atomically whether or not the file exists yet.
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        current.withLock { $0 = (snapshot.version, configuration) }
        return configuration
    }
}
