import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The device-state step of an ingest transaction: `standalone_devices.last_seen`,
/// `down_since` and `last_probe_at` derived from the rounds, in one set-based UPDATE of the
/// devices ``DeviceStateCache`` says must be written.
struct DeviceStateUpdate {
    /// Devices of the rounds that are in `standalone_devices` (written, or cached and folded).
    private(set) var known = Set<DeviceID>()
    /// Devices whose reachability changed.
    private(set) var changes: [DeviceStateChange] = []
    private var written: [(device: DeviceID, isUp: Bool, probe: Date, seen: Date?)] = []
    private var missing: [DeviceID] = []
    private let folds: [DeviceRoundSummary]

    /// Writes the devices of `writes`; `folds` are the cached devices left unwritten.
    ///
    /// Each row first takes the rounds pending for it (`greatest` with the pending newest
    /// probe and reply), then this transaction's summary: a round older than the newest probe
    /// leaves `down_since` alone, a reply as the newest round clears it, a failure after the
    /// newest reply sets it to the first such failure, and a device already down stays down
    /// since its first failure.
    ///
    /// Rows are given in id order (PostgreSQL's byte order of a UUID is that of its hex text),
    /// so two collectors updating overlapping devices lock them in the same order and do not
    /// deadlock each other.
    static func run(
        writes unordered: [DeviceStateCache.Write], folds: [DeviceRoundSummary], on connection: PostgresConnection,
        logger: Logger
    ) async throws -> DeviceStateUpdate {
        var update = DeviceStateUpdate(folds: folds)
        update.known = Set(folds.map(\.deviceID))
        guard !unordered.isEmpty else { return update }
        let writes = unordered.sorted { $0.summary.deviceID.uuid.precedesInDatabaseOrder($1.summary.deviceID.uuid) }
        try await connection.query(planning, logger: logger)
        let rows = try await connection.query(statement(for: writes), logger: logger)
        for try await (id, hadState, wasUp, isUp, probe, lastSeen) in rows.decode(
            (UUID, Bool, Bool, Bool, Date, Date?).self)
        {
            let device = DeviceID(id)
            update.known.insert(device)
            update.written.append((device, isUp, probe, lastSeen))
            if hadState ? wasUp != isUp : !isUp {
                update.changes.append(DeviceStateChange(deviceID: device, isUp: isUp))
            }
        }
        update.missing = writes.map(\.summary.deviceID).filter { !update.known.contains($0) }
        return update
    }

    /// Run before ``statement(for:)`` in its transaction: the planner settings it is meant for.
    ///
    /// The device table is small and cached, but PostgreSQL's default `random_page_cost` (4)
    /// prices each primary-key probe as a disk read, so for a thousand ids it scans and hashes
    /// the whole table: 38 ms a statement at 32,000 devices, against 19 ms by index. 1.1 is the
    /// usual value for cached or SSD-backed data. `SET LOCAL` lasts until the transaction ends;
    /// only the small statements after this one see it.
    static let planning: PostgresQuery = "SET LOCAL random_page_cost = 1.1"

    /// The UPDATE of `writes` (in id order), returning per device: id, whether it had a
    /// probe time and was up before, whether it is up now, its probe time and last seen.
    static func statement(for writes: [DeviceStateCache.Write]) -> PostgresQuery {
        let summaries = writes.map(\.summary)
        let ids = summaries.map(\.deviceID.uuid)
        let latest = summaries.map(\.latest)
        let latestUp = summaries.map(\.latestReachable)
        let hasUp = summaries.map { $0.lastReachable != nil }
        let firstDown = summaries.map { $0.firstFailureAfterLastSuccess ?? $0.latest }
        let probed = writes.map { $0.pending?.probe ?? $0.summary.latest }
        let seenAt = writes.map { write in [write.pending?.seen, write.summary.lastReachable].compactMap { $0 }.max() }
        let hasSeen = seenAt.map { $0 != nil }
        let seen = zip(seenAt, latest).map { $0 ?? $1 }
        return """
            UPDATE standalone_devices d SET
                last_seen = CASE WHEN u.has_seen THEN greatest(d.last_seen, u.seen) ELSE d.last_seen END,
                down_since = CASE
                    WHEN greatest(d.last_probe_at, u.probed) > u.latest THEN d.down_since
                    WHEN u.latest_up THEN NULL
                    WHEN u.has_up THEN u.first_down
                    ELSE coalesce(d.down_since, u.first_down) END,
                last_probe_at = greatest(d.last_probe_at, u.probed, u.latest)
            FROM unnest(\(ids)::uuid[], \(latest)::timestamptz[], \(latestUp)::bool[], \(hasUp)::bool[],
                        \(firstDown)::timestamptz[], \(probed)::timestamptz[], \(hasSeen)::bool[], \(seen)::timestamptz[])
                     AS u(id, latest, latest_up, has_up, first_down, probed, has_seen, seen),
                 LATERAL (SELECT o.down_since AS old_down, o.last_probe_at AS old_probe
                          FROM standalone_devices o WHERE o.id = u.id) old
            WHERE d.id = u.id
            RETURNING d.id, old.old_probe IS NOT NULL, old.old_down IS NULL, d.down_since IS NULL, d.last_probe_at, d.last_seen
            """
    }

    private init(folds: [DeviceRoundSummary]) {
        self.folds = folds
    }

    /// Records in `cache` what the transaction did, once it committed.
    func commit(to cache: inout DeviceStateCache) {
        for row in written { cache.wrote(row.device, isUp: row.isUp, probe: row.probe, seen: row.seen) }
        for device in missing { cache.forget(device) }
        for summary in folds { cache.fold(summary) }
    }
}
