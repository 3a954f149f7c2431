import Foundation
import OutpostPKI

/// What the tables imported so far tell the later ones: which branches, devices, rules and
/// users exist (in Outpost after this run), and Outpost's geography.
struct LegacyImportContext: Sendable {
    /// Outpost's regions by English name, and its towns.
    var regions: [String: String] = [:]
    var cities: [LegacyCity] = []
    /// Imported branches: legacy id (canonical) → Outpost id and name.
    var branches: [UUID: String] = [:]
    /// Imported devices by id, and their ids by address (duplicates kept).
    var devices: [UUID: (ip: String, name: String)] = [:]
    var devicesByIP: [String: [UUID]] = [:]
    /// Devices given a credential from the legacy's `snmp_credentials`, with the communities
    /// of those credentials (none for v3).
    var credentialDevices: [UUID: [String]] = [:]
    /// Imported alert rules.
    var rules: Set<UUID> = []
    /// Imported users: legacy id → Outpost id.
    var users: [String: Int] = [:]
    /// Item names of the imported templates (alert rules may read them).
    var itemNames: Set<String> = []

    /// The master key new secrets are sealed with, and the legacy's Fernet keys.
    let masterKey: MasterKey?
    let fernetKeys: [FernetKey]
}

/// A town of `georgian_cities`.
struct LegacyCity: Sendable {
    let id: Int
    let name: String
    let nameKa: String?
    let region: String
}
