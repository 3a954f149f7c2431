import Foundation

/// The ranges a chart offers, as `?range=` names them.
enum ChartRange: String, CaseIterable, Sendable {
    case hour = "1h"
    case day = "24h"
    case week = "7d"
    case month = "30d"

    /// The range's length.
    var seconds: TimeInterval {
        switch self {
        case .hour: 3600
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 30 * 86_400
        }
    }

    /// `1 h`, `24 h`, `7 d`, `30 d`.
    var label: String {
        switch self {
        case .hour: "1 h"
        case .day: "24 h"
        case .week: "7 d"
        case .month: "30 d"
        }
    }

    /// The range named by `?range=`, 24 h when absent; 400 for anything else.
    static func parse(_ text: String?) throws -> ChartRange {
        guard let text, !text.isEmpty else { return .day }
        guard let range = ChartRange(rawValue: text) else {
            throw APIError.badRequest(
                "one of \(allCases.map(\.rawValue).joined(separator: ", "))", field: "range")
        }
        return range
    }
}
