import OutpostCore

/// A device to ping: its identity and its literal IPv4 or IPv6 address.
public struct PingTarget: Sendable, Hashable {
    /// The device the results belong to.
    public let deviceID: DeviceID
    let address: ICMPAddress

    /// The address in canonical text form, as `ping_results.device_ip` stores it.
    public var addressText: String { address.text }

    /// Creates a target from an address literal. Host names are not resolved.
    /// - Throws: ``PingTargetError/invalidAddress(_:)`` when `address` is not an IPv4 or IPv6 literal.
    public init(deviceID: DeviceID, address: String) throws(PingTargetError) {
        guard let parsed = ICMPAddress(parsing: address) else {
            throw .invalidAddress(String(address.prefix(64)))
        }
        self.deviceID = deviceID
        self.address = parsed
    }
}

/// Why a ``PingTarget`` could not be created.
public enum PingTargetError: Error, Equatable, CustomStringConvertible {
    /// The text is not an IPv4 or IPv6 address literal (first 64 characters kept).
    case invalidAddress(String)

    public var description: String {
        switch self {
        case .invalidAddress(let text): "not an IPv4 or IPv6 address literal: '\(text)'"
        }
    }
}
