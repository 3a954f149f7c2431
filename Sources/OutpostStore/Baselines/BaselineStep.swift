import Foundation

/// What one step of the baseline job did (see ``BaselineWriter/step(now:on:)``).
public struct BaselineStep: Sendable, Equatable {
    /// What the step was.
    public enum Kind: Sendable, Equatable {
        /// Another collector holds the job's lock: nothing was done.
        case lockedElsewhere
        /// The baselines already include every complete day: nothing was done.
        case upToDate
        /// Every hour of week was learned again (first run, or far behind).
        case full
        /// The hours of week one new day changes were learned again.
        case day
    }

    /// What the step was.
    public var kind: Kind
    /// The baselines now include every hourly roll-up before this UTC midnight (`nil`: never computed).
    public var computedThrough: Date?
    /// Hours of week learned again.
    public var hours = 0
    /// Devices and items with hourly roll-ups in the window.
    public var devices = 0
    public var items = 0
    /// Hourly roll-up rows read.
    public var rollupRows = 0
    /// Baseline rows written (`performance_baselines` and `metric_baselines`).
    public var baselineRows = 0

    /// Whether the step computed something (so the job should try the next one at once).
    public var didWork: Bool { kind == .full || kind == .day }
}
