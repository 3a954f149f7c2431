import Foundation

/// No maintenance window has this id.
public struct MaintenanceWindowNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// The id looked for.
    public let id: UUID

    public var description: String { "no maintenance window \(id.uuidString.lowercased())" }
}
