/// The changes to a device: a field left `nil` is left as it is.
///
/// A nullable field is a double optional: `nil` leaves it, `.some(nil)` clears it and
/// `.some(value)` sets it (an empty text also clears it). `branch: .some(nil)` takes the device
/// out of its branch; `branch: "name"` moves it to that branch.
public struct DevicePatch: Sendable, Equatable {
    public var name: String?
    public var ip: String?
    public var branch: String??
    public var hostname: String??
    public var vendor: String??
    public var deviceType: String??
    public var deviceSubtype: String??
    public var model: String??
    public var location: String??
    public var description: String??
    public var enabled: Bool?
    public var tags: [String]?
    public var floorInfo: String??
    public var unitNumber: Int??
    public var sshPort: Int?
    public var sshUsername: String??
    public var sshEnabled: Bool?

    /// A patch that changes nothing; set the fields to change.
    public init() {}
}
