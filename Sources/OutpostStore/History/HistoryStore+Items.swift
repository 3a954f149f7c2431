import Foundation
import PostgresNIO

extension HistoryStore {
    /// Value types whose samples carry a number.
    static let numericTypes = ["integer", "float", "counter32", "counter64", "gauge32", "timeticks"]

    /// Charts of every numeric item of `device` over [`from`, `to`), by name; an
    /// ``InputError`` for a range ``HistoryWindow`` refuses.
    public func itemHistories(device: UUID, from: Date, to: Date, on connection: PostgresConnection) async throws
        -> [ItemHistory]
    {
        let window = try HistoryWindow(from: from, to: to)
        var histories: [ItemHistory] = []
        let items = try await connection.query(
            """
            SELECT id, COALESCE(name, oid_name), oid, units, value_type FROM monitoring_items
            WHERE device_id = \(device) AND value_type = ANY(\(Self.numericTypes))
            ORDER BY COALESCE(name, oid_name), id
            """, logger: logger)
        for try await (id, name, oid, unit, type) in items.decode((UUID, String, String, String?, String).self) {
            histories.append(
                ItemHistory(
                    itemID: id, name: name, oid: oid, unit: unit, valueType: type,
                    isRate: type == "counter32" || type == "counter64", resolution: window.resolution,
                    bucketSeconds: window.bucketSeconds, points: []))
        }
        guard !histories.isEmpty else { return [] }
        let ids = histories.map(\.itemID)
        let step = window.bucketSeconds
        let rows: PostgresRowSequence
        if let table = window.rollupTable("item") {
            rows = try await connection.query(
                """
                SELECT m.item_id,
                    date_bin(make_interval(secs => \(step)), m.bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                    min(m.min_value), sum(m.avg_value * m.samples) / sum(m.samples), max(m.max_value),
                    sum(m.samples)::bigint
                FROM \(unescaped: table) m
                WHERE m.item_id = ANY(\(ids)) AND m.bucket >= \(window.firstBucket) AND m.bucket < \(window.to)
                GROUP BY m.item_id, t ORDER BY m.item_id, t
                """, logger: logger)
        } else {
            rows = try await connection.query(
                """
                SELECT v.item_id,
                    date_bin(make_interval(secs => \(step)), v.timestamp, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                    min(v.value), avg(v.value), max(v.value), count(*)::bigint
                FROM (
                    SELECT h.item_id, h.timestamp, \(unescaped: ItemRollupSQL.valueExpression) AS value
                    FROM item_history h
                    WHERE h.item_id = ANY(\(ids)) AND h.error IS NULL
                        AND h.timestamp >= \(window.from) AND h.timestamp < \(window.to)
                ) v
                WHERE v.value IS NOT NULL
                GROUP BY v.item_id, t ORDER BY v.item_id, t
                """, logger: logger)
        }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        for try await (id, time, min, avg, max, samples) in rows.decode(
            (UUID, Date, Double?, Double?, Double?, Int).self)
        {
            guard let position = index[id] else { continue }
            histories[position].points.append(
                ItemHistoryPoint(time: time, min: min, avg: avg, max: max, samples: samples))
        }
        return histories
    }
}
