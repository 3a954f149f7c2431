import ArgumentParser
import Foundation

/// Times and durations as commands take and show them: ISO 8601 in UTC.
enum CommandLineTime {
    /// `now`, or an ISO 8601 date and time with a zone (`2026-12-06T22:00:00Z`, `…+04:00`).
    static func parse(_ text: String, option: String, now: Date) throws -> Date {
        if text.lowercased() == "now" { return now }
        for options: ISO8601DateFormatter.Options in [
            .withInternetDateTime, [.withInternetDateTime, .withFractionalSeconds],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        throw ValidationError(
            "\(option): \(text.debugDescription) is not `now` nor an ISO 8601 time such as 2026-12-06T22:00:00Z")
    }

    /// Seconds of a duration such as `90s`, `45m`, `2h`, `1d` or `1h30m`.
    static func seconds(_ text: String, option: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var total = 0
        var digits = ""
        for character in text.lowercased() {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits), digits.count <= 7 {
                total += value * unit
                digits = ""
            } else {
                digits = "invalid"
                break
            }
        }
        guard digits.isEmpty, total > 0 else {
            throw ValidationError("\(option): \(text.debugDescription) is not a duration such as 90m, 2h, 1d or 1h30m")
        }
        return total
    }

    /// `seconds` as `1d2h30m`, `2h`, `90s`….
    static func format(seconds: Int) -> String {
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }

    /// `date` as ISO 8601 in UTC, to the second.
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
