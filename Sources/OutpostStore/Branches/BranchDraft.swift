import Foundation

/// What an operator gives to create a branch (see ``BranchDirectory/create(_:by:on:)``).
public struct BranchDraft: Sendable, Equatable {
    /// The unique short name: 1 to ``BranchRegistry/maximumNameLength`` characters.
    public var name: String
    /// The name shown to people; the name when `nil`.
    public var displayName: String?
    /// The name in Georgian.
    public var displayNameKa: String?
    /// A `georgian_regions.name_en`; the town's region when `nil` and a town is given.
    public var region: String?
    /// A `georgian_cities.name_en`, in `region` if both are given.
    public var city: String?
    /// The branch's own position (both or neither), overriding the town's.
    public var latitude: Double?
    /// See `latitude`.
    public var longitude: Double?
    /// The street address.
    public var address: String?
    /// A short code, at most 10 characters.
    public var branchCode: String?
    /// The edge router: a device of this branch (so none can be named for a new branch).
    public var gatewayDeviceID: UUID?
    /// Whether the branch is in service.
    public var isActive: Bool

    /// A draft with only a name; set the other properties as needed.
    public init(name: String) {
        self.name = name
        self.isActive = true
    }
}

/// A change to a branch (see ``BranchDirectory/update(id:_:by:on:)``): a `nil` property is left
/// as it is; for the optional columns, `.some(nil)` clears the column.
public struct BranchPatch: Sendable, Equatable {
    /// A new unique short name.
    public var name: String?
    /// A new name shown to people.
    public var displayName: String?
    /// A new Georgian name, or none.
    public var displayNameKa: String??
    /// Cleared region: the town must be cleared too (or already be unset).
    public var region: String??
    /// A new town without a new region moves the branch to the town's region.
    public var city: String??
    /// Set or clear with `longitude`: both or neither.
    public var latitude: Double??
    /// See `latitude`.
    public var longitude: Double??
    /// A new street address, or none.
    public var address: String??
    /// A new short code, or none.
    public var branchCode: String??
    /// A new edge router (a device of the branch), or none.
    public var gatewayDeviceID: UUID??
    /// Whether the branch is in service.
    public var isActive: Bool?

    /// A patch that changes nothing; set the properties to change.
    public init() {}
}
