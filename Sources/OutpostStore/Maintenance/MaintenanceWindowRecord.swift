import Foundation
import OutpostRules

/// One row of `maintenance_windows` with its targets.
public struct MaintenanceWindowRecord: Sendable, Equatable, Identifiable {
    /// A device target: its id and name.
    public struct Device: Sendable, Equatable {
        public let id: UUID
        public let name: String

        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// What the window covers: devices, and every device of the branches and regions listed.
    public struct Targets: Sendable, Equatable {
        /// Devices named one by one, by name.
        public var devices: [Device]
        /// Branch names, sorted.
        public var branchNames: [String]
        /// Region names, sorted.
        public var regions: [String]

        public init(devices: [Device] = [], branchNames: [String] = [], regions: [String] = []) {
            self.devices = devices
            self.branchNames = branchNames
            self.regions = regions
        }
    }

    public let id: UUID
    public let name: String
    public let comment: String?
    /// One-off: when it opens. Recurring: the first time a schedule match counts.
    public let startsAt: Date
    /// One-off: when it closes. Recurring: when the series stops (`nil`: never).
    public let endsAt: Date?
    /// The cron expression (UTC) of a recurring window.
    public let schedule: String?
    /// Length of each recurring window.
    public let durationSeconds: Int?
    /// The creating user's username, if a user created it and still exists.
    public let createdBy: String?
    public let createdAt: Date
    /// When it was ended by hand: not active from then on.
    public let endedAt: Date?
    public let targets: Targets
    /// `schedule` parsed once (`nil` also when it no longer parses: then never open).
    let cron: CronSchedule?

    public init(
        id: UUID, name: String, comment: String?, startsAt: Date, endsAt: Date?, schedule: String?,
        durationSeconds: Int?, createdBy: String?, createdAt: Date, endedAt: Date?, targets: Targets
    ) {
        self.id = id
        self.name = name
        self.comment = comment
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.schedule = schedule
        self.durationSeconds = durationSeconds
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.targets = targets
        cron = schedule.flatMap { try? CronSchedule($0) }
    }

    /// Whether the window is recurring (has a schedule).
    public var isRecurring: Bool { schedule != nil }
}
