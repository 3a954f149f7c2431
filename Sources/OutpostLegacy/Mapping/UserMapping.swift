import Foundation
import OutpostStore
import PostgresNIO

/// `users` → `users` (keyed by username) and `user_regions`. A password hash the console can
/// verify (bcrypt) is kept; any other (the legacy's argon2id, pbkdf2-sha256) is kept too but
/// the user is imported disabled and must be given a new password (docs/legacy-import.md).
enum UserMapping {
    static let columns = [
        "id", "username", "email", "full_name", "hashed_password", "role", "is_superuser", "region", "regions",
        "is_active", "created_at", "last_login", "theme_preference", "language", "timezone", "notifications_enabled",
    ]
    static let spec = TableSpec(
        legacy: "users", outpost: "users", key: "username",
        columns: [
            ("username", .text), ("email", .text), ("full_name", .text), ("role", .text), ("is_active", .bool),
            ("hashed_password", .text), ("created_at", .timestamp), ("last_login", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [("users.created_at", .utc), ("users.last_login", .utc)]

    static let roles: [String: OperatorRole] = [
        "ADMIN": .admin, "REGIONAL_MANAGER": .regionalManager, "TECHNICIAN": .technician, "VIEWER": .viewer,
    ]

    /// Maps one user; `disabled` is set when the user must reset their password.
    static func map(
        _ row: LegacyRow, context: LegacyImportContext, taken: Set<String>, notes: inout [String]
    ) throws -> (row: MappedRow, legacyID: String, mustReset: Bool) {
        let legacyID = try row.required("id")
        let username = try row.required("username")
        try UserDirectory.validate(username: username)
        guard !taken.contains(username) else {
            throw LegacyValueError(column: "username", reason: "\(username) exists in Outpost and was not imported")
        }
        let label = "users \(legacyID) (\(username))"
        var email = FieldCheck.trimmed(row.text("email"), field: "\(label) email", notes: &notes)
        if let address = email, address.count > 100 || !address.contains("@") || address.contains(where: \.isWhitespace)
        {
            notes.append("\(label): e-mail \(address.debugDescription) is not an address; imported without one")
            email = nil
        }
        let fullName = FieldCheck.trimmed(row.text("full_name"), field: "\(label) full_name", notes: &notes)
        try FieldCheck.optional(fullName, field: "full_name", maximum: 100)
        let legacyRole = (row.text("role") ?? "VIEWER").uppercased()
        guard var role = roles[legacyRole] ?? OperatorRole(rawValue: legacyRole.lowercased()) else {
            throw LegacyValueError(column: "role", reason: "unknown role \(legacyRole.debugDescription)")
        }
        if try row.bool("is_superuser") == true, role != .admin {
            notes.append("\(label): superuser with role \(role.rawValue); imported as admin")
            role = .admin
        }
        let hash = try row.required("hashed_password")
        let verifiable = hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$")
        let legacyActive = try row.bool("is_active") ?? true
        let active = legacyActive && verifiable
        if !verifiable {
            let format = hash.hasPrefix("$argon2") ? "argon2" : hash.hasPrefix("$pbkdf2") ? "pbkdf2-sha256" : "unknown"
            notes.append(
                "\(label): \(format) password hash, which the console cannot verify: imported disabled; "
                    + "set a password (outpost-collector users password \(username)) and enable the user")
        }
        var regionNames = try row.stringArray("regions")
        if let single = row.text("region"), !single.isEmpty { regionNames.append(single) }
        var regions: [String] = []
        for name in regionNames {
            if let region = LegacyGeography.region(name, known: context.regions) {
                if !regions.contains(region) { regions.append(region) }
            } else {
                notes.append("\(label): region \(name.debugDescription) matches no Outpost region; not assigned")
            }
        }
        regions.sort()
        let created = try row.timestamp("created_at", .utc) ?? Date(timeIntervalSince1970: 0)
        let lastLogin = try row.timestamp("last_login", .utc)
        func value(_ text: String?) -> String { (text.map(CanonicalValue.text) ?? .null).printed }
        let canonical = CanonicalRow([
            ("username", value(username)), ("email", value(email)), ("full_name", value(fullName)),
            ("role", value(role.rawValue)), ("is_active", CanonicalValue.bool(active).printed),
            ("hashed_password", value(hash)), ("created_at", CanonicalValue.timestamp(created).printed),
            ("last_login", (lastLogin.map(CanonicalValue.timestamp) ?? .null).printed),
        ])
        let upsert: PostgresQuery = """
            WITH u AS (
                INSERT INTO users AS t (username, email, full_name, hashed_password, role, is_active, created_at,
                                        last_login, password_set_at, disabled_at)
                VALUES (\(username), \(email), \(fullName), \(hash), \(role.rawValue), \(active), \(created),
                        \(lastLogin), CASE WHEN \(verifiable) THEN \(created) END,
                        CASE WHEN \(active) THEN NULL ELSE now() END)
                ON CONFLICT (username) DO UPDATE SET email = EXCLUDED.email, full_name = EXCLUDED.full_name,
                    hashed_password = EXCLUDED.hashed_password, role = EXCLUDED.role, is_active = EXCLUDED.is_active,
                    created_at = EXCLUDED.created_at, last_login = EXCLUDED.last_login,
                    disabled_at = CASE WHEN EXCLUDED.is_active THEN NULL ELSE coalesce(t.disabled_at, now()) END
                WHERE (t.email, t.full_name, t.hashed_password, t.role, t.is_active, t.created_at, t.last_login)
                    IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.full_name, EXCLUDED.hashed_password, EXCLUDED.role,
                                      EXCLUDED.is_active, EXCLUDED.created_at, EXCLUDED.last_login)
                RETURNING id),
            target AS (SELECT id FROM users WHERE username = \(username) UNION SELECT id FROM u),
            removed AS (
                DELETE FROM user_regions r USING target
                WHERE r.user_id = target.id AND NOT (r.region = ANY(\(regions)::text[])) RETURNING 1),
            added AS (
                INSERT INTO user_regions (user_id, region) SELECT target.id, g FROM target, unnest(\(regions)::text[]) g
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT 1 FROM u UNION ALL SELECT 1 FROM removed UNION ALL SELECT 1 FROM added
            """
        return (
            MappedRow(legacyID: legacyID, outpostID: username, canonical: canonical, upsert: upsert), legacyID,
            !verifiable
        )
    }
}
