import Foundation
import Hummingbird
import OutpostStore

/// The parameters of an availability report request: `from` and `to` (ISO 8601 times, or
/// `YYYY-MM-DD` for midnight UTC; both absent: the previous calendar month), `by`
/// (`device`, `branch`, `region`, `type`; default `device`), `format` (`json`, `csv`), `part`
/// of a CSV (`rows`, `outages`), `outages` (`true`: list the outages; the figures alone answer
/// fastest), `group` (list only the outages of one row) and `zone` (an IANA zone for a CSV's
/// times; default UTC). Anything else is refused with 400 naming the parameter.
struct ReportQuery {
    enum Format: String {
        case json, csv
    }

    enum Part: String {
        case rows, outages
    }

    let window: ReportWindow
    let grouping: ReportGrouping
    let format: Format
    let part: Part
    let zone: TimeZone
    /// The outages to list: all with `outages=true` or `part=outages`, one row's with `group`.
    let listing: OutageListing

    init(_ request: Request, now: Date = Date()) throws {
        let options = QueryOptions(request)
        let from = try Self.time(options.text("from", maximumLength: 40), field: "from")
        let to = try Self.time(options.text("to", maximumLength: 40), field: "to")
        switch (from, to) {
        case (let from?, let to?): window = try ReportWindow(from: from, to: to)
        case (nil, nil): window = ReportWindow.previousMonth(before: now)
        case (nil, _): throw APIError.badRequest("give from with to", field: "from")
        case (_, nil): throw APIError.badRequest("give to with from", field: "to")
        }
        grouping = try ReportGrouping(parsing: options.text("by", maximumLength: 20) ?? "device")
        format = try Self.choice(options.text("format", maximumLength: 10) ?? "json", field: "format")
        part = try Self.choice(options.text("part", maximumLength: 10) ?? "rows", field: "part")
        let group = try options.text("group", maximumLength: 200)
        let zoneName = try options.text("zone", maximumLength: 64) ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw APIError.badRequest("an IANA time zone such as Asia/Tbilisi", field: "zone")
        }
        self.zone = zone
        let listed = try options.boolean("outages") ?? false
        listing = group.map { .group($0) } ?? (listed || part == .outages ? .all : .omitted)
    }

    /// `text` as a time: ISO 8601 with a zone, or a date `YYYY-MM-DD` (midnight UTC).
    static func time(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
        throw APIError.badRequest("an ISO-8601 time such as 2026-11-01T00:00:00Z, or a date 2026-11-01", field: field)
    }

    private static func choice<T: RawRepresentable>(_ text: String, field: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw APIError.badRequest("\(text.prefix(20).debugDescription) is not allowed here", field: field)
        }
        return value
    }
}
