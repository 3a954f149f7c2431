import Foundation

/// A row of `branches` with its town, position, edge router and device count, as operators see it.
public struct BranchRecord: Sendable, Equatable, Encodable {
    /// `branches.id`.
    public let id: UUID
    /// The unique short name (`branches.name`), written into agent certificates.
    public let name: String
    /// The name shown to people.
    public let displayName: String
    /// The name in Georgian, if set.
    public let displayNameKa: String?
    /// A `georgian_regions.name_en` (or a legacy value written before regions were checked).
    public let region: String?
    /// The town's `georgian_cities.name_en`, if set.
    public let city: String?
    /// The branch's own latitude, else its town's.
    public let latitude: Double?
    /// The branch's own longitude, else its town's.
    public let longitude: Double?
    /// The street address.
    public let address: String?
    /// The short code operators use (at most 10 characters).
    public let branchCode: String?
    /// The edge router the branch's other devices depend on.
    public let gatewayDeviceID: UUID?
    /// That router's name.
    public let gatewayDeviceName: String?
    /// Whether the branch is in service.
    public let isActive: Bool
    /// How many devices belong to it.
    public let deviceCount: Int
    /// When it was created (UTC).
    public let createdAt: Date
    /// When it last changed, if ever.
    public let updatedAt: Date?
}
