import Foundation

/// A maintenance window refused: the field at fault and why, e.g. `"name: must not be empty"`.
public struct MaintenanceWindowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault, as the API names it (`name`, `device_ids`, `schedule`, …).
    public let field: String
    /// What is wrong with it.
    public let reason: String

    /// Creates an error about `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// No maintenance window has this id.
public struct MaintenanceWindowNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// The id looked for.
    public let id: UUID

    public var description: String { "no maintenance window \(id.uuidString.lowercased())" }
}
