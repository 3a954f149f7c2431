import Foundation
import OutpostRules
import PostgresNIO

/// A draft that passed validation: what is inserted, with branch names resolved to ids.
struct ValidMaintenanceWindow {
    var name: String
    var comment: String?
    var startsAt: Date
    var endsAt: Date?
    var schedule: String?
    var durationSeconds: Int?
    var deviceIDs: [UUID]
    var branchIDs: [UUID]
    var branchNames: [String]
    var regions: [String]
    var createdBy: Int32?

    /// The fields as the audit entry of its creation records them.
    var auditFields: [String: AuditValue] {
        [
            "name": .text(name), "comment": .optional(comment),
            "starts_at": .text(MaintenanceWindowStore.iso(startsAt)),
            "ends_at": .optional(endsAt.map(MaintenanceWindowStore.iso)), "schedule": .optional(schedule),
            "duration_seconds": durationSeconds.map { .integer(Int64($0)) } ?? .null,
            "device_ids": .texts(deviceIDs.map { $0.uuidString.lowercased() }.sorted()),
            "branch_names": .texts(branchNames.sorted()), "regions": .texts(regions.sorted()),
        ]
    }
}

extension MaintenanceWindowStore {
    /// Longest name (`maintenance_windows.name VARCHAR(200)`).
    public static let maximumNameLength = 200
    /// Longest comment accepted.
    public static let maximumCommentLength = 2_000
    /// Shortest and longest duration of a recurring window's openings (the column's CHECK).
    public static let durationRange = 60...604_800
    /// Most targets (devices, branches and regions together) of one window.
    public static let maximumTargets = 10_000
    /// Times accepted: from 1970 to the end of year 9999 (UTC).
    static let timeRange = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)

    /// Checks `draft` against the columns' domains and what exists in the database.
    func validate(_ draft: MaintenanceWindowDraft, actor: AuditActor, on connection: PostgresConnection)
        async throws -> ValidMaintenanceWindow
    {
        let name = try Self.text(draft.name, field: "name", maximum: Self.maximumNameLength)
        let comment = try draft.comment.flatMap { comment -> String? in
            let trimmed = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return nil }
            guard trimmed.unicodeScalars.count <= Self.maximumCommentLength else {
                throw InputError(
                    field: "comment", reason: "at most \(Self.maximumCommentLength) characters")
            }
            guard !trimmed.unicodeScalars.contains("\0") else {
                throw InputError(field: "comment", reason: "must not contain NUL characters")
            }
            return trimmed
        }
        try Self.checkRange(draft.startsAt, field: "starts_at")
        if let endsAt = draft.endsAt {
            try Self.checkRange(endsAt, field: "ends_at")
            guard endsAt > draft.startsAt else {
                throw InputError(field: "ends_at", reason: "must be after starts_at")
            }
        }
        let schedule = try Self.schedule(draft)
        let deviceIDs = Array(Set(draft.deviceIDs)).sorted { $0.uuidString < $1.uuidString }
        let branchNames = try Self.names(draft.branchNames, field: "branch_names", maximum: 200)
        let regions = try Self.names(draft.regions, field: "regions", maximum: 100)
        let count = deviceIDs.count + branchNames.count + regions.count
        guard count > 0 else {
            throw InputError(field: "targets", reason: "name at least one device, branch or region")
        }
        guard count <= Self.maximumTargets else {
            throw InputError(field: "targets", reason: "at most \(Self.maximumTargets) targets")
        }
        try await checkDevices(deviceIDs, on: connection)
        let branchIDs = try await branchIDs(branchNames, on: connection)
        try await checkRegions(regions, on: connection)
        let createdBy = draft.createdBy ?? actor.userID
        if let createdBy { try await checkUser(createdBy, on: connection) }
        return ValidMaintenanceWindow(
            name: name, comment: comment, startsAt: draft.startsAt, endsAt: draft.endsAt, schedule: schedule,
            durationSeconds: draft.durationSeconds, deviceIDs: deviceIDs, branchIDs: branchIDs,
            branchNames: branchNames, regions: regions, createdBy: createdBy)
    }

    /// `text` trimmed: not empty, at most `maximum` characters, no control characters.
    private static func text(_ text: String, field: String, maximum: Int) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw InputError(field: field, reason: "must not be empty") }
        guard trimmed.unicodeScalars.count <= maximum else {
            throw InputError(field: field, reason: "at most \(maximum) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw InputError(field: field, reason: "must not contain control characters")
        }
        return trimmed
    }

    /// `names` checked one by one (see ``text(_:field:maximum:)``), without duplicates, sorted.
    private static func names(_ names: [String], field: String, maximum: Int) throws -> [String] {
        Array(Set(try names.map { try text($0, field: field, maximum: maximum) })).sorted()
    }

    /// Refuses a time outside ``timeRange``.
    static func checkRange(_ time: Date, field: String) throws {
        guard timeRange.contains(time) else {
            throw InputError(field: field, reason: "must be between 1970 and 9999")
        }
    }

    /// The schedule of a recurring draft (checked with its duration), `nil` for a one-off one.
    private static func schedule(_ draft: MaintenanceWindowDraft) throws -> String? {
        guard let expression = draft.schedule else {
            guard draft.durationSeconds == nil else {
                throw InputError(
                    field: "duration_seconds", reason: "only for a recurring window (schedule)")
            }
            guard draft.endsAt != nil else {
                throw InputError(field: "ends_at", reason: "required for a one-off window")
            }
            return nil
        }
        guard expression.count <= 100 else {
            throw InputError(field: "schedule", reason: "at most 100 characters")
        }
        let cron: CronSchedule
        do {
            cron = try CronSchedule(expression)
        } catch {
            throw InputError(field: "schedule", reason: error.reason)
        }
        guard let duration = draft.durationSeconds else {
            throw InputError(field: "duration_seconds", reason: "required with a schedule")
        }
        guard durationRange.contains(duration) else {
            throw InputError(
                field: "duration_seconds",
                reason:
                    "must be \(durationRange.lowerBound) s to 7 days (\(durationRange.upperBound) s), got \(duration)")
        }
        let first = MaintenanceWindowRecord.firstMatch(of: cron, atOrAfter: draft.startsAt)
        guard let first, draft.endsAt.map({ first < $0 }) ?? true else {
            throw InputError(field: "schedule", reason: "never matches between starts_at and ends_at")
        }
        return cron.description
    }

    private func checkDevices(_ ids: [UUID], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let rows = try await connection.query(
            "SELECT id FROM standalone_devices WHERE id = ANY(\(ids))", logger: logger)
        var found = Set<UUID>()
        for try await id in rows.decode(UUID.self) { found.insert(id) }
        if let missing = ids.first(where: { !found.contains($0) }) {
            throw InputError(field: "device_ids", reason: "no device \(missing.uuidString.lowercased())")
        }
    }

    private func branchIDs(_ names: [String], on connection: PostgresConnection) async throws -> [UUID] {
        guard !names.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT name, id FROM branches WHERE name = ANY(\(names))", logger: logger)
        var found: [String: UUID] = [:]
        for try await (name, id) in rows.decode((String, UUID).self) { found[name] = id }
        if let missing = names.first(where: { found[$0] == nil }) {
            throw InputError(field: "branch_names", reason: "no branch \(missing.debugDescription)")
        }
        return names.compactMap { found[$0] }
    }

    private func checkRegions(_ regions: [String], on connection: PostgresConnection) async throws {
        guard !regions.isEmpty else { return }
        let rows = try await connection.query(
            """
            SELECT region FROM branches WHERE region = ANY(\(regions))
            UNION SELECT name_en FROM georgian_regions WHERE name_en = ANY(\(regions))
            """, logger: logger)
        var found = Set<String>()
        for try await region in rows.decode(String.self) { found.insert(region) }
        if let missing = regions.first(where: { !found.contains($0) }) {
            throw InputError(field: "regions", reason: "no region \(missing.debugDescription)")
        }
    }

    private func checkUser(_ id: Int32, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT 1 FROM users WHERE id = \(id)", logger: logger)
        for try await _ in rows.decode(Int32.self) { return }
        throw InputError(field: "created_by", reason: "no user \(id)")
    }
}
