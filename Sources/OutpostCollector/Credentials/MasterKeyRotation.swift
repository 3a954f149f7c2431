import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO

/// Re-encrypts every stored credential from one master key to another.
public enum MasterKeyRotation {
    /// What a rotation did.
    public struct Outcome: Sendable, Equatable {
        /// Values re-sealed under the new key.
        public var rewritten: Int
        /// Values already sealed under the new key (a rotation run again), left as they were.
        public var alreadyRotated: Int

        public init(rewritten: Int, alreadyRotated: Int) {
            self.rewritten = rewritten
            self.alreadyRotated = alreadyRotated
        }
    }

    /// Opens every value of `snmp_credentials` and `discovery_credentials` with `old` and seals it
    /// under `new`, in one transaction with its audit entry by `actor`: if any value does not
    /// open, nothing changes.
    public static func rotate(
        from old: MasterKey, to new: MasterKey, by actor: AuditActor, on connection: PostgresConnection, logger: Logger
    ) async throws -> Outcome {
        let result = try await CredentialStore(logger: logger).resealAll(by: actor, on: connection) { value in
            let fingerprint = try MasterKey.fingerprintHex(ofSealed: value.sealed)
            if fingerprint == new.fingerprintHex && fingerprint != old.fingerprintHex {
                _ = try new.open(value.sealed, in: value.field)  // proves it really is sealed under the new key
                return nil
            }
            return try new.seal(try old.open(value.sealed, in: value.field), in: value.field)
        }
        return Outcome(rewritten: result.rewritten, alreadyRotated: result.unchanged)
    }
}
