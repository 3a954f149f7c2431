import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Keeps `device_interfaces` in step with the interface table samples of an ingest, in the
/// ingest's transaction (so exactly once, like the samples): inventory columns, first/last seen,
/// oper-status change time, the newest metrics, the ISP classification, and `missing_since` for
/// interfaces a newer ifTable walk no longer listed (docs/interfaces.md).
///
/// Observations older than what a row already holds (a spooled batch replayed late) do not
/// overwrite it.
struct InterfaceStateWriter {
    let logger: Logger

    /// Applies the interface samples among `samples` (those with an instance, of items whose OID
    /// is an IF-MIB column); returns the number of interfaces written.
    @discardableResult
    func write(_ samples: [ItemSample], on connection: PostgresConnection) async throws -> Int {
        let tableItems = Array(Set(samples.lazy.filter { $0.instance != nil }.map(\.itemID.uuid)))
        guard !tableItems.isEmpty else { return 0 }
        var columns: [ItemID: InterfaceColumn] = [:]
        let rows = try await connection.query(
            "SELECT id, oid FROM monitoring_items WHERE id = ANY(\(tableItems)::uuid[])", logger: logger)
        for try await (id, oid) in rows.decode((UUID, String).self) {
            if let column = InterfaceColumn(oid: oid) { columns[ItemID(id)] = column }
        }
        guard !columns.isEmpty else { return 0 }
        let observations = InterfaceObservation.observations(in: samples, columns: columns)
        guard !observations.isEmpty else { return 0 }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let json = String(decoding: try encoder.encode(observations), as: UTF8.self)
        try await connection.query(Self.upsert(json), logger: logger)
        try await connection.query(Self.markMissing(json), logger: logger)
        return observations.count
    }

    private static func upsert(_ json: String) -> PostgresQuery {
        """
        WITH o AS (
            SELECT o.*, to_timestamp(o.seen_at) AS seen, to_timestamp(o.listed_at) AS listed
            FROM jsonb_to_recordset(\(json)::jsonb) AS o(
                device_id uuid, if_index integer, seen_at double precision, listed_at double precision,
                name text, description text, alias text, mac_address text, speed_bps bigint, mtu integer,
                admin_status text, oper_status text, if_type integer, last_change_ticks bigint,
                in_bps double precision, out_bps double precision, errors_per_second double precision,
                discards_per_second double precision)
            JOIN standalone_devices d ON d.id = o.device_id
        )
        INSERT INTO device_interfaces AS i (
            device_id, if_index, name, description, alias, mac_address, speed_bps, mtu, admin_status,
            oper_status, if_type, last_change_ticks, first_seen_at, last_seen_at, oper_status_changed_at,
            in_bps, out_bps, in_utilisation_percent, out_utilisation_percent, errors_per_second,
            discards_per_second, metrics_at, updated_at, isp_provider)
        SELECT device_id, if_index, name, description, alias, mac_address, speed_bps, mtu, admin_status,
               oper_status, if_type, last_change_ticks, seen, seen, CASE WHEN oper_status IS NOT NULL THEN seen END,
               in_bps, out_bps, in_bps / nullif(speed_bps, 0) * 100, out_bps / nullif(speed_bps, 0) * 100,
               errors_per_second, discards_per_second,
               CASE WHEN coalesce(in_bps, out_bps, errors_per_second, discards_per_second) IS NOT NULL THEN seen END,
               now(),
               (SELECT p.provider FROM isp_link_patterns p
                WHERE position(lower(p.contains) IN lower(coalesce(o.alias, '') || ' ' || coalesce(o.description, ''))) > 0
                ORDER BY p.provider LIMIT 1)
        FROM o
        ON CONFLICT (device_id, if_index) DO UPDATE SET
            name = coalesce(EXCLUDED.name, i.name),
            description = coalesce(EXCLUDED.description, i.description),
            alias = coalesce(EXCLUDED.alias, i.alias),
            mac_address = coalesce(EXCLUDED.mac_address, i.mac_address),
            speed_bps = coalesce(EXCLUDED.speed_bps, i.speed_bps),
            mtu = coalesce(EXCLUDED.mtu, i.mtu),
            admin_status = coalesce(EXCLUDED.admin_status, i.admin_status),
            oper_status = coalesce(EXCLUDED.oper_status, i.oper_status),
            oper_status_changed_at = CASE
                WHEN EXCLUDED.oper_status IS NOT NULL AND EXCLUDED.oper_status IS DISTINCT FROM i.oper_status
                THEN EXCLUDED.last_seen_at ELSE i.oper_status_changed_at END,
            if_type = coalesce(EXCLUDED.if_type, i.if_type),
            last_change_ticks = coalesce(EXCLUDED.last_change_ticks, i.last_change_ticks),
            last_seen_at = EXCLUDED.last_seen_at,
            missing_since = NULL,
            in_bps = coalesce(EXCLUDED.in_bps, i.in_bps),
            out_bps = coalesce(EXCLUDED.out_bps, i.out_bps),
            in_utilisation_percent = CASE WHEN EXCLUDED.in_bps IS NOT NULL
                THEN EXCLUDED.in_bps / nullif(coalesce(EXCLUDED.speed_bps, i.speed_bps), 0) * 100
                ELSE i.in_utilisation_percent END,
            out_utilisation_percent = CASE WHEN EXCLUDED.out_bps IS NOT NULL
                THEN EXCLUDED.out_bps / nullif(coalesce(EXCLUDED.speed_bps, i.speed_bps), 0) * 100
                ELSE i.out_utilisation_percent END,
            errors_per_second = coalesce(EXCLUDED.errors_per_second, i.errors_per_second),
            discards_per_second = coalesce(EXCLUDED.discards_per_second, i.discards_per_second),
            metrics_at = coalesce(EXCLUDED.metrics_at, i.metrics_at),
            updated_at = now(),
            isp_provider = (SELECT p.provider FROM isp_link_patterns p
                WHERE position(lower(p.contains) IN lower(coalesce(EXCLUDED.alias, i.alias, '') || ' '
                    || coalesce(EXCLUDED.description, i.description, ''))) > 0
                ORDER BY p.provider LIMIT 1)
        WHERE i.last_seen_at <= EXCLUDED.last_seen_at
        """
    }

    /// Interfaces of a device an ifTable walk did not list, while it listed others later.
    private static func markMissing(_ json: String) -> PostgresQuery {
        """
        UPDATE device_interfaces i SET missing_since = w.listed, updated_at = now()
        FROM (
            SELECT o.device_id, max(to_timestamp(o.listed_at)) AS listed
            FROM jsonb_to_recordset(\(json)::jsonb) AS o(device_id uuid, listed_at double precision)
            WHERE o.listed_at IS NOT NULL
            GROUP BY o.device_id
        ) w
        WHERE i.device_id = w.device_id AND i.missing_since IS NULL AND i.last_seen_at < w.listed
        """
    }
}
