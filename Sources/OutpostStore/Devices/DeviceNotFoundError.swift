import Foundation

/// No device has the id an operation names.
public struct DeviceNotFoundError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id that named no device.
    public let id: UUID

    /// Creates the error for `id`.
    public init(id: UUID) {
        self.id = id
    }

    public var description: String { "no device with id \(id.uuidString.lowercased())" }
}
