import Foundation
import Hummingbird

/// The range of a history request: `range=1h|24h|7d|30d` (any count of `m`, `h` or `d` up to two
/// years) ending at `to` or now, or `from` and `to` (ISO 8601; `to` defaults to now), else the
/// last 24 hours. The store then validates the range itself (``HistoryWindow``).
struct HistoryRangeQuery {
    let from: Date
    let to: Date

    /// The longest `range`, in seconds: two years and a day.
    static let maximumSpan: TimeInterval = 731 * 86_400

    init(_ request: Request, now: Date = Date()) throws {
        let options = QueryOptions(request)
        let range = try options.text("range", maximumLength: 8)
        let from = try options.date("from")
        to = try options.date("to") ?? now
        switch (range, from) {
        case (let range?, nil):
            self.from = to.addingTimeInterval(-(try Self.span(range)))
        case (nil, let from?):
            self.from = from
        case (nil, nil):
            self.from = to.addingTimeInterval(-86_400)
        case (_?, _?):
            throw APIError.badRequest("give range or from, not both", field: "range")
        }
    }

    /// Seconds of a `range` like `90m`, `24h` or `7d`.
    static func span(_ text: String) throws -> TimeInterval {
        let refused = APIError.badRequest(
            "a count and a unit, m, h or d, up to 731d: e.g. 1h, 24h, 7d, 30d", field: "range")
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { throw refused }
        let seconds: TimeInterval
        switch unit {
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        default: throw refused
        }
        guard Double(count) * seconds <= maximumSpan else { throw refused }
        return Double(count) * seconds
    }
}
