import Foundation
import OutpostCore
import OutpostPKI
import OutpostWire
import Synchronization

/// The configuration the agent runs, persisted in its state directory so a restart without a
/// collector keeps probing what it probed before.
///
/// The file holds the collector's snapshot (version + JSON payload, base64), written atomically
/// with mode 0600. The snapshot carries SNMP credentials, so with a sealing key (derived from the
/// agent's private key) the payload is stored AES-GCM encrypted, bound to its version; a plain
/// file written before credentials existed is still read, and replaced by a sealed one on the
/// next snapshot, as are files that stored the payload as a JSON array of byte values.
///
/// Only the version stays in memory: the probes hold what they need of the devices, and the
/// full configuration is read back from the file on demand (``storedConfiguration()``), so a
/// branch's device list is not kept twice (docs/architecture.md, "Agent memory").
public final class ConfigurationCache: Sendable {
    private struct Stored: Codable {
        let version: String
        /// The payload in clear (no sealing key, or a file from before sealing).
        var payload: [UInt8]?
        /// The payload sealed under the sealing key.
        var sealed: [UInt8]?

        init(version: String) {
            self.version = version
        }

        private enum CodingKeys: String, CodingKey {
            case version, payload, sealed
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(String.self, forKey: .version)
            payload = try Self.bytes(in: container, forKey: .payload)
            sealed = try Self.bytes(in: container, forKey: .sealed)
        }

        // Base64 (Data's JSON form): a JSON array of byte values costs a coding value per byte,
        // tens of megabytes in flight for a branch of 10,000 devices.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encodeIfPresent(payload.map { Data($0) }, forKey: .payload)
            try container.encodeIfPresent(sealed.map { Data($0) }, forKey: .sealed)
        }

        /// Base64 text, or the array of byte values earlier agents wrote.
        private static func bytes(
            in container: KeyedDecodingContainer<CodingKeys>, forKey key: CodingKeys
        ) throws -> [UInt8]? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            if let text = try? container.decode(String.self, forKey: key) {
                guard let data = Data(base64Encoded: text) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "not base64")
                }
                return Array(data)
            }
            return try container.decode([UInt8].self, forKey: key)
        }
    }

    /// The purpose the agent's sealing key is derived for.
    static let sealingPurpose = "outpost-agent-configuration-cache-v1"

    private let path: String
    private let sealingKey: LocalSealingKey?
    private let current = Mutex<String?>(nil)

    /// Opens the cached snapshot at `path` when there is one; `sealingKey` encrypts it on disk.
    /// - Throws: when the file is there but does not open (altered, or sealed under another key)
    ///   or does not hold a configuration.
    public init(path: String, sealingKey: LocalSealingKey? = nil) throws {
        self.path = path
        self.sealingKey = sealingKey
        if let (version, _) = try Self.read(path: path, key: sealingKey) {
            current.withLock { $0 = version }
        }
    }

    /// The cache of the agent whose state directory is `stateDirectory` (`config.json`), sealed
    /// under a key derived from the agent's private key.
    public convenience init(stateDirectory: String, agentKey: P256Key) throws {
        try self.init(
            path: stateDirectory + "/config.json",
            sealingKey: LocalSealingKey(privateKey: agentKey, purpose: Self.sealingPurpose))
    }

    /// The version and configuration stored at `path`, `nil` when there is no file.
    private static func read(path: String, key: LocalSealingKey?) throws -> (String, AgentConfiguration)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let stored = try JSONDecoder().decode(Stored.self, from: data)
        return (stored.version, try AgentConfiguration(encoded: try payload(of: stored, key: key, path: path)))
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
    public var version: String? { current.withLock { $0 } }

    /// The configuration in force, read back from the file; `nil` when there is none yet.
    /// - Throws: when the file no longer opens (changed behind the agent's back).
    public func storedConfiguration() throws -> AgentConfiguration? {
        try Self.read(path: path, key: sealingKey)?.1
    }

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
        current.withLock { $0 = snapshot.version }
        return configuration
    }
}
