import Foundation
import PostgresNIO

extension AlertDesk {
    /// Longest device text ``list(_:deviceNameContaining:on:)`` accepts.
    public static let maximumDeviceTextLength = 200

    /// The alerts `filter` selects whose device's name contains `deviceText` (ignoring case;
    /// `nil` or empty: every alert), newest first, one page: the console's alert history.
    ///
    /// - Throws: ``InputError`` as ``list(_:on:)`` does, and for device text too long or
    ///   holding control characters.
    public func list(_ filter: AlertFilter, deviceNameContaining deviceText: String?, on connection: PostgresConnection)
        async throws -> AlertPage
    {
        let cursor = try filter.validated()
        let needle = deviceText.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let needle, let problem = TextInput.problem(needle, maximumLength: Self.maximumDeviceTextLength) {
            throw InputError(field: "device", reason: problem)
        }
        let regions = filter.regions.map { Array($0) }
        let rows = try await fetch(
            """
            WHERE (\(filter.open)::boolean IS NULL OR (h.resolved_at IS NULL) = \(filter.open))
              AND (\(filter.branch)::text IS NULL OR b.name = \(filter.branch))
              AND (\(regions)::text[] IS NULL OR b.region = ANY(\(regions)))
              AND (\(filter.deviceID)::uuid IS NULL OR h.device_id = \(filter.deviceID))
              AND (\(needle)::text IS NULL OR strpos(lower(d.name), \(needle)) > 0)
              AND (\(filter.severity)::text[] IS NULL OR h.severity = ANY(\(filter.severity)))
              AND (\(filter.since)::timestamptz IS NULL OR h.triggered_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR h.triggered_at < \(filter.until))
              AND (\(cursor?.microseconds)::bigint IS NULL
                   OR (h.triggered_at, h.id)
                      < ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursor?.id)::uuid))
            ORDER BY h.triggered_at DESC, h.id DESC
            LIMIT \(filter.limit + 1)
            """, on: connection)
        let page = rows.prefix(filter.limit)
        let next =
            rows.count > filter.limit
            ? page.last.map { AlertCursor(microseconds: $0.microseconds, id: $0.view.id) } : nil
        return AlertPage(alerts: page.map(\.view), nextCursor: next?.text)
    }
}
