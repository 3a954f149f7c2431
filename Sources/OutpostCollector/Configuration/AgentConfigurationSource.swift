import Crypto
import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostWire
import PostgresNIO

/// Builds the configuration snapshot of a branch's agent: its enabled devices with their
/// enabled items and their SNMP credentials, opened with the master key, and the ping settings. Only the branch's own
/// devices are read, so an agent never receives another branch's credentials.
public struct AgentConfigurationSource: Sendable {
    private let client: PostgresClient
    private let masterKey: MasterKey?
    private let logger: Logger

    /// Creates a source. Without a master key, a branch whose devices have credentials cannot
    /// be served (a clear error), never served without them.
    public init(client: PostgresClient, masterKey: MasterKey?, logger: Logger) {
        self.client = client
        self.masterKey = masterKey
        self.logger = logger
    }

    /// The branch's configuration with credentials in clear.
    public func configuration(forBranch branchID: UUID) async throws -> AgentConfiguration {
        let logger = self.logger
        let store = BranchConfigStore(logger: logger)
        // One repeatable-read snapshot: devices, items and credentials from the same moment.
        let (devices, ping, records) = try await client.withConnection(timeout: PostgresClient.callTimeout) {
            connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                return (
                    try await store.devices(ofBranch: branchID, on: connection),
                    try await store.pingSettings(on: connection),
                    try await CredentialStore(logger: logger).snmpCredentials(ofBranch: branchID, on: connection)
                )
            }
        }
        var credentials: [UUID: SNMPCredential] = [:]
        if !records.isEmpty {
            guard let masterKey else { throw MissingMasterKey() }
            for record in records { credentials[record.deviceID] = try masterKey.open(record) }
        }
        let configured = devices.map { device in
            var device = device
            device.snmp = credentials[device.id]
            return device
        }
        return AgentConfiguration(
            devices: configured, pingIntervalSeconds: ping.intervalSeconds, pingPackets: ping.packets)
    }

    /// The snapshot sent in a `Config` message.
    ///
    /// Its version is 16 bytes of HMAC-SHA256 of the payload under a key derived from the master
    /// key (plain SHA-256 without one): the payload holds credentials, and a bare hash stored in
    /// `agents.config_version_acked` would let a reader of the database test guesses of a weak
    /// community against it. It is still the same on every collector sharing the master key.
    public func snapshot(forBranch branchID: UUID) async throws -> ConfigSnapshot {
        let payload = try await configuration(forBranch: branchID).encoded()
        let digest: [UInt8]
        if let masterKey {
            digest = Array(
                HMAC<SHA256>.authenticationCode(
                    for: payload, using: masterKey.derivedKey(purpose: "outpost-config-version-v1")))
        } else {
            digest = Array(SHA256.hash(data: payload))
        }
        return ConfigSnapshot(version: digest.prefix(16).map { String(format: "%02x", $0) }.joined(), payload: payload)
    }

    /// Credentials exist but the collector runs without a master key.
    public struct MissingMasterKey: Error, CustomStringConvertible {
        public var description: String {
            "devices of this branch have SNMP credentials, but no master key is configured to open them"
        }
    }
}
