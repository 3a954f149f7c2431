import Foundation
import OutpostCore

/// What ingest last wrote to each device's `standalone_devices` row, so that rounds which change
/// nothing but `last_seen`/`last_probe_at` update the row at most once per period (between
/// `refresh / 2` and `refresh`) of round time instead of once per round (a row update per ping
/// row was most of the commit time of small groups).
///
/// A device is written when it is not cached (its first round since start, unknown ids, after
/// a failed write), when its rounds may change `down_since` (a failure while up, a reply while
/// down), and when its newest round is its ``period(of:)`` or more newer than the
/// `last_probe_at` last written. Otherwise its rounds are folded into the entry as *pending* and
/// sent with the device's next write, which applies them first: the row ends exactly as if
/// every round had been written, and in between `last_seen`/`last_probe_at` trail the newest
/// round by less than `refresh`. State changes are never deferred.
///
/// Entries come from the rows each write returns (nothing is read at start) and change only
/// after the transaction committed; a failed write forgets the devices of its rows, since the
/// database may then be ahead of the cache for them. Another collector writing the same
/// device (an agent that moved) leaves an entry stale for less than `refresh`: the next write
/// reads the row's real state and reports the change then.
struct DeviceStateCache {
    /// Rounds folded in since a device's last write, applied before the rounds of its next one.
    struct Pending {
        /// Newest round folded in or written (`last_probe_at`).
        var probe: Date
        /// Newest round with a reply folded in or written (`last_seen`).
        var seen: Date?
    }

    /// A device's rows to write, with what is pending for it (nil when not cached).
    typealias Write = (summary: DeviceRoundSummary, pending: Pending?)

    private struct Entry {
        /// `down_since` is NULL.
        var isUp: Bool
        /// `last_probe_at` as last written.
        var writtenProbe: Date
        var pending: Pending
    }

    /// Longest round-time span within which rounds that change no state are not written.
    let refresh: TimeInterval
    private var entries: [DeviceID: Entry] = [:]

    init(refresh: TimeInterval) {
        self.refresh = refresh
    }

    /// The round-time span after which `device`'s row is written again although its state
    /// holds: between `refresh / 2` and `refresh`, fixed per device (from its id). Devices
    /// whose rounds arrive together (one agent's round; every agent after a restart) are all
    /// written together once, then fall due at different rounds instead of all at once.
    func period(of device: DeviceID) -> TimeInterval {
        let bytes = device.uuid.uuid
        let fraction = Double(UInt16(bytes.14) << 8 | UInt16(bytes.15)) / Double(UInt16.max)
        return refresh * (0.5 + 0.5 * fraction)
    }

    /// Splits one transaction's device summaries into those to write and those to fold in.
    func plan(_ summaries: [DeviceRoundSummary]) -> (writes: [Write], folds: [DeviceRoundSummary]) {
        var writes: [Write] = []
        var folds: [DeviceRoundSummary] = []
        for summary in summaries {
            guard let entry = entries[summary.deviceID] else {
                writes.append((summary, nil))
                continue
            }
            let keepsState = entry.isUp ? summary.latestReachable : summary.lastReachable == nil
            if keepsState && summary.latest < entry.writtenProbe.addingTimeInterval(period(of: summary.deviceID)) {
                folds.append(summary)
            } else {
                writes.append((summary, entry.pending))
            }
        }
        return (writes, folds)
    }

    /// Folds in the rounds of a committed transaction that did not write `summary`'s device.
    mutating func fold(_ summary: DeviceRoundSummary) {
        guard var entry = entries[summary.deviceID] else { return }
        entry.pending.probe = max(entry.pending.probe, summary.latest)
        if let reply = summary.lastReachable { entry.pending.seen = max(entry.pending.seen ?? reply, reply) }
        entries[summary.deviceID] = entry
    }

    /// Records the row a committed transaction wrote.
    mutating func wrote(_ device: DeviceID, isUp: Bool, probe: Date, seen: Date?) {
        entries[device] = Entry(isUp: isUp, writtenProbe: probe, pending: Pending(probe: probe, seen: seen))
    }

    /// Forgets `device` (written, but not in `standalone_devices`; or in a failed write).
    mutating func forget(_ device: DeviceID) {
        entries[device] = nil
    }
}
