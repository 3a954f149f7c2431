import Foundation

/// Where one encrypted credential value is stored: table, column, row, and for
/// `snmp_credentials` the device. Its ``context`` is what the ciphertext is bound to, so a value
/// copied to another row, column or device no longer decrypts.
public struct CredentialField: Sendable, Hashable, CustomStringConvertible {
    /// The tables holding encrypted credentials.
    public enum Table: String, Sendable, CaseIterable {
        case snmpCredentials = "snmp_credentials"
        case discoveryCredentials = "discovery_credentials"

        /// The encrypted columns of the table.
        public var encryptedColumns: [String] {
            switch self {
            case .snmpCredentials: ["community_encrypted", "auth_key_encrypted", "priv_key_encrypted"]
            case .discoveryCredentials:
                [
                    "community_encrypted", "auth_key_encrypted", "priv_key_encrypted", "ssh_password_encrypted",
                    "ssh_key_encrypted",
                ]
            }
        }
    }

    public let table: Table
    public let column: String
    public let rowID: UUID
    /// The device of an `snmp_credentials` row; `nil` for `discovery_credentials`.
    public let deviceID: UUID?

    /// Creates a field reference.
    public init(table: Table, column: String, rowID: UUID, deviceID: UUID?) {
        self.table = table
        self.column = column
        self.rowID = rowID
        self.deviceID = deviceID
    }

    /// The additional authenticated data of the field's ciphertext.
    public var context: [UInt8] {
        let device = deviceID.map { $0.uuidString.lowercased() } ?? "-"
        return Array(
            "outpost-credential\u{0}\(table.rawValue)\u{0}\(column)\u{0}\(rowID.uuidString.lowercased())\u{0}\(device)"
                .utf8)
    }

    public var description: String { "\(table.rawValue).\(column) of row \(rowID.uuidString.lowercased())" }
}

/// One encrypted value and where it is stored.
public struct SealedValue: Sendable, Hashable {
    public let field: CredentialField
    /// The sealed text (see `MasterKey.seal`).
    public var sealed: String

    public init(field: CredentialField, sealed: String) {
        self.field = field
        self.sealed = sealed
    }
}
