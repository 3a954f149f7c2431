import Foundation

/// A value of a device, a device query or an import that the inventory refuses: the field it
/// belongs to and why, e.g. `ip: "10.0.0.300" is not an IPv4 or IPv6 address`.
public struct DeviceInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field as the API and the CSV name it: `name`, `ip`, `ssh_port`, `branch`, `cursor`, …
    public let field: String
    /// Why the value was refused.
    public let reason: String

    /// Creates an error for `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

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
