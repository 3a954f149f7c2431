import Foundation

/// A maintenance window to create: one-off (`startsAt`..`endsAt`) or recurring (`schedule`,
/// each match opening a window of `durationSeconds`, from `startsAt` until `endsAt` or for ever),
/// over devices, branches and regions (at least one target in all).
public struct MaintenanceWindowDraft: Sendable, Equatable {
    /// 1 to 200 characters.
    public var name: String
    /// Free text, e.g. the change ticket.
    public var comment: String?
    /// One-off: when the window opens. Recurring: the first time a schedule match counts.
    public var startsAt: Date
    /// One-off: when the window closes (required). Recurring: when the series stops (`nil`: never).
    public var endsAt: Date?
    /// A 5-field cron expression (UTC) for a recurring window.
    public var schedule: String?
    /// Length of each recurring window, 60 s to 7 days; with `schedule` only.
    public var durationSeconds: Int?
    /// Devices (`standalone_devices.id`) in the window.
    public var deviceIDs: [UUID]
    /// Branches (`branches.name`) whose devices are in the window.
    public var branchNames: [String]
    /// Regions (`branches.region` or a Georgian region's English name) whose branches' devices are in the window.
    public var regions: [String]
    /// The user (`users.id`) creating it; the acting user's id when `nil`.
    public var createdBy: Int32?

    /// Creates a draft.
    public init(
        name: String, comment: String? = nil, startsAt: Date, endsAt: Date? = nil, schedule: String? = nil,
        durationSeconds: Int? = nil, deviceIDs: [UUID] = [], branchNames: [String] = [], regions: [String] = [],
        createdBy: Int32? = nil
    ) {
        self.name = name
        self.comment = comment
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.schedule = schedule
        self.durationSeconds = durationSeconds
        self.deviceIDs = deviceIDs
        self.branchNames = branchNames
        self.regions = regions
        self.createdBy = createdBy
    }
}
