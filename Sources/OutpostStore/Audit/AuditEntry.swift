/// One change as the audit log records it: the action on an entity and the fields it changed.
public struct AuditEntry: Sendable, Equatable {
    /// A changed field: its value before and after (`nil` where the entity did not exist).
    public struct Change: Sendable, Equatable, Encodable {
        public var before: AuditValue?
        public var after: AuditValue?

        public init(before: AuditValue?, after: AuditValue?) {
            self.before = before
            self.after = after
        }
    }

    /// `create`, `update`, `delete`, `acknowledge`, `resolve`, `login`, `import`, …
    public var action: String
    /// The kind of thing changed: `device`, `branch`, `user`, `alert_rule`, …
    public var entity: String
    /// Its id as text, if it has one.
    public var entityID: String?
    /// The fields that changed.
    public var changes: [String: Change]

    /// Creates an entry.
    public init(action: String, entity: String, entityID: String?, changes: [String: Change] = [:]) {
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.changes = changes
    }

    /// An entry whose changes are the fields of `after` that differ from `before` (a field
    /// missing on one side counts as absent there). Creation: `before` empty; deletion: `after` empty.
    public static func diff(
        action: String, entity: String, entityID: String?, before: [String: AuditValue], after: [String: AuditValue]
    ) -> AuditEntry {
        var changes: [String: Change] = [:]
        for key in Set(before.keys).union(after.keys) where before[key] != after[key] {
            changes[key] = Change(before: before[key], after: after[key])
        }
        return AuditEntry(action: action, entity: entity, entityID: entityID, changes: changes)
    }
}
