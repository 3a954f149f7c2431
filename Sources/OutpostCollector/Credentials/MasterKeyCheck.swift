import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO

/// The start-up check of the master key against the database: the collector refuses to run
/// with a key that cannot open the stored credentials, instead of failing later per agent.
public enum MasterKeyCheck {
    /// How many values are actually decrypted; every value's key fingerprint is checked.
    public static let sampleSize = 16

    /// Refuses (throws) when any stored credential was sealed under another key, or when one of
    /// a sample of them does not open (tampered, or moved to another row).
    ///
    /// - Returns: How many sealed values the database holds.
    @discardableResult
    public static func verify(_ key: MasterKey, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let values = try await CredentialStore(logger: logger).sealedValues(on: connection)
        for value in values {
            let fingerprint: String
            do {
                fingerprint = try MasterKey.fingerprintHex(ofSealed: value.sealed)
            } catch {
                throw CredentialOpeningError(field: value.field, reason: error)
            }
            guard fingerprint == key.fingerprintHex else {
                throw CredentialOpeningError(
                    field: value.field, reason: .wrongKey(sealedUnder: fingerprint, masterKey: key.fingerprintHex))
            }
        }
        // Spread the sample over the tables: values are ordered by table, then row.
        let stride = max(1, values.count / sampleSize)
        for index in Swift.stride(from: 0, to: values.count, by: stride) {
            _ = try key.open(values[index].sealed, in: values[index].field)
        }
        logger.info(
            "master key verified",
            metadata: ["fingerprint": "\(key.fingerprintHex)", "sealed_values": "\(values.count)"])
        return values.count
    }

    /// ``verify(_:on:logger:)`` on a connection of its own.
    @discardableResult
    public static func verify(_ key: MasterKey, database: DatabaseURL, logger: Logger) async throws -> Int {
        let connection = try await database.connect(id: 0, logger: logger)
        do {
            let count = try await verify(key, on: connection, logger: logger)
            try await connection.close()
            return count
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
