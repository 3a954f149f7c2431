import Foundation
import OutpostStore

/// What importing a device CSV file would do, row by row; ``DeviceCSVImport/apply(_:by:on:)``
/// carries it out when no row is refused.
public struct DeviceImportPlan: Sendable, Equatable {
    /// A row that adds a device.
    public struct Create: Sendable, Equatable {
        public let line: Int
        public let draft: DeviceDraft
    }

    /// A row that changes a device: the CSV names of the fields it changes.
    public struct Update: Sendable, Equatable {
        public let line: Int
        public let id: UUID
        public let name: String
        public let changedFields: [String]
        public let patch: DevicePatch
    }

    /// A row that cannot be imported, and why.
    public struct Refusal: Sendable, Equatable, Encodable, CustomStringConvertible {
        /// The row's first line in the file (the header is line 1).
        public let line: Int
        public let reason: String

        /// Creates a refusal of the row on `line`.
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }

        public var description: String { "line \(line): \(reason)" }
    }

    public var creates: [Create] = []
    public var updates: [Update] = []
    /// Lines of rows that match a device and change nothing.
    public var unchanged: [Int] = []
    public var refused: [Refusal] = []
}

/// What an applied import did.
public struct DeviceImportSummary: Sendable, Equatable, Encodable {
    public let created: Int
    public let updated: Int
    public let unchanged: Int

    /// Creates a summary.
    public init(created: Int, updated: Int, unchanged: Int) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}
