import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The (device, minute) and (item, minute) pairs whose raw rows a batch group adds: what ingest
/// records in `rollup_pending`, in the transaction of the rows, for the roll-up job
/// (docs/architecture.md, "Schema decisions").
struct RollupPendingMarks: Sendable {
    /// `ping` or `item`, as `rollup_pending.kind`.
    private(set) var kinds: [String] = []
    private(set) var keys: [UUID] = []
    private(set) var minutes: [Date] = []

    /// The distinct pairs of `pings` and of the samples that carry a number, in a fixed order
    /// (kind, key, minute) so that concurrent transactions lock the pending rows in one order.
    init(pings: [PingRoundResult], samples: [ItemSample]) {
        struct Mark: Hashable, Comparable {
            let kind: String
            let key: UUID
            let minute: Int64

            static func < (a: Mark, b: Mark) -> Bool {
                if a.kind != b.kind { return a.kind < b.kind }
                if a.key != b.key { return a.key.precedesInDatabaseOrder(b.key) }
                return a.minute < b.minute
            }
        }
        var marks = Set<Mark>()
        for ping in pings {
            marks.insert(Mark(kind: "ping", key: ping.deviceID.uuid, minute: Self.minute(of: ping.timestamp)))
        }
        for sample in samples where sample.error == nil && (sample.rate != nil || sample.value?.numericValue != nil) {
            marks.insert(Mark(kind: "item", key: sample.itemID.uuid, minute: Self.minute(of: sample.timestamp)))
        }
        for mark in marks.sorted() {
            kinds.append(mark.kind)
            keys.append(mark.key)
            minutes.append(Date(timeIntervalSince1970: Double(mark.minute) * 60))
        }
    }

    /// Pairs to record.
    var count: Int { kinds.count }

    /// Records the pairs in one statement. A pair already pending is locked (`DO UPDATE … WHERE
    /// false` writes nothing but locks the row until commit): were it not, the roll-up job could
    /// claim and delete it before these rows commit, and recompute the minute without them.
    func record(on connection: PostgresConnection, logger: Logger) async throws {
        guard !kinds.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO rollup_pending (kind, key_id, minute)
            SELECT * FROM unnest(\(kinds)::varchar[], \(keys)::uuid[], \(minutes)::timestamptz[])
            ON CONFLICT (kind, key_id, minute) DO UPDATE SET minute = EXCLUDED.minute WHERE false
            """, logger: logger)
    }

    /// Whole minutes since the epoch (UTC) of `date`.
    private static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
