import Foundation
import Logging
import PostgresNIO

/// Branches as enrolment needs them: created by name, looked up by name.
public struct BranchRegistry: Sendable {
    /// Longest branch name accepted here: agent certificates carry it as their subject OU, which
    /// X.520 bounds to 64 characters.
    public static let maximumNameLength = 64

    private let logger: Logger

    /// Creates a registry logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates the branch `name` unless it exists (idempotent; an existing branch is left as it is).
    ///
    /// - Returns: The branch, and whether this call created it.
    public func add(
        name: String, displayName: String? = nil, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> (branch: BranchRecord, created: Bool) {
        try Self.validate(text: name, field: "branch name", maximumLength: Self.maximumNameLength)
        let display = displayName ?? name
        try Self.validate(text: display, field: "display name", maximumLength: 200)
        return try await connection.transaction(logger: logger) { connection in
            try await insert(name: name, displayName: display, by: actor, on: connection)
        }
    }

    private func insert(
        name: String, displayName display: String, by actor: AuditActor, on connection: PostgresConnection
    )
        async throws -> (branch: BranchRecord, created: Bool)
    {
        let inserted = try await connection.query(
            """
            INSERT INTO branches (name, display_name) VALUES (\(name), \(display))
            ON CONFLICT (name) DO NOTHING
            RETURNING id
            """,
            logger: logger)
        var created = false
        for try await _ in inserted.decode(UUID.self) { created = true }
        guard let branch = try await branch(named: name, on: connection) else {
            throw RegistryError.unknownBranch(name)  // deleted between the two statements
        }
        if created {
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: "branch", entityID: branch.id.uuidString.lowercased(), before: [:],
                    after: ["name": .text(name), "display_name": .text(display)]), by: actor, on: connection)
        }
        return (branch, created)
    }

    /// The branch named `name`, if any.
    public func branch(named name: String, on connection: PostgresConnection) async throws -> BranchRecord? {
        try await StoredBranch.fetch(name: name, logger: logger, on: connection).first?.record
    }

    /// Refuses empty text, text longer than `maximumLength` characters and control characters.
    static func validate(text: String, field: String, maximumLength: Int) throws(RegistryError) {
        guard !text.isEmpty, text.count <= maximumLength else {
            throw .invalidValue(field: field, reason: "must be 1 to \(maximumLength) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidValue(field: field, reason: "must not contain control characters")
        }
    }
}
