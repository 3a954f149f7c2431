import Foundation

/// How a legacy naive timestamp column is read (docs/legacy-import.md, "Time zones").
public enum LegacyTimeZone: String, Sendable, CaseIterable {
    /// Written by the application (`utcnow()`) or SQLite's CURRENT_TIMESTAMP.
    case utc = "UTC"
    /// Loaded from the Zabbix seed export, which carried `+04:00` offsets. Georgia has kept
    /// UTC+4 without daylight saving since 2005, so the offset is fixed.
    case tbilisi = "Asia/Tbilisi"

    /// Seconds east of UTC.
    var offset: Int64 {
        switch self {
        case .utc: 0
        case .tbilisi: 4 * 3600
        }
    }
}

/// Parses the legacy's timestamp texts, `YYYY-MM-DD HH:MM:SS[.ffffff]`, also with `T` and an
/// explicit offset (a PostgreSQL-hosted legacy prints one), which then wins over the column's
/// zone. Arithmetic only (no Calendar): the ping history has millions of them.
public enum LegacyTime {
    /// Microseconds since 1970 UTC, or `nil` for text that is not such a timestamp.
    public static func micros(_ raw: String, zone: LegacyTimeZone) -> Int64? {
        var text = raw
        return text.withUTF8 { bytes -> Int64? in
            var end = bytes.count
            while end > 0, bytes[end - 1] == 32 { end -= 1 }
            guard end >= 19 else { return nil }
            func number(_ start: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for index in start..<(start + count) {
                    let byte = bytes[index]
                    guard byte >= 48, byte <= 57 else { return nil }
                    value = value * 10 + Int64(byte - 48)
                }
                return value
            }
            guard let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
                let day = number(8, 2), bytes[10] == 32 || bytes[10] == 84, let hour = number(11, 2),
                bytes[13] == 58, let minute = number(14, 2), bytes[16] == 58, let second = number(17, 2)
            else { return nil }
            guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
                minute < 60, second < 60
            else { return nil }
            var index = 19
            var fraction: Int64 = 0
            if index < end, bytes[index] == 46 {
                index += 1
                var digits = 0
                while index < end, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                if digits < 6 { for _ in digits..<6 { fraction *= 10 } }
            }
            var offset = zone.offset
            if index < end {
                if bytes[index] == 90, index + 1 == end {  // Z
                    offset = 0
                } else if bytes[index] == 43 || bytes[index] == 45 {  // + or -
                    let sign: Int64 = bytes[index] == 45 ? -1 : 1
                    var digits: [Int64] = []
                    for position in (index + 1)..<end where bytes[position] != 58 {
                        guard bytes[position] >= 48, bytes[position] <= 57 else { return nil }
                        digits.append(Int64(bytes[position] - 48))
                    }
                    guard digits.count == 2 || digits.count == 4 else { return nil }
                    let hours = digits[0] * 10 + digits[1]
                    let minutes = digits.count == 4 ? digits[2] * 10 + digits[3] : 0
                    offset = sign * (hours * 3600 + minutes * 60)
                } else {
                    return nil
                }
            }
            let days = daysFromCivil(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
            return seconds * 1_000_000 + fraction
        }
    }

    /// The date of a legacy timestamp text, or `nil`.
    public static func parse(_ raw: String, zone: LegacyTimeZone) -> Date? {
        micros(raw, zone: zone).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }

    /// A date as the report's canonical form prints it: UTC, microseconds.
    public static func canonical(_ date: Date) -> String {
        format(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()), separator: "T", suffix: "Z")
    }

    /// `YYYY-MM-DD<separator>HH:MM:SS.ffffff<suffix>` in UTC.
    static func format(micros: Int64, separator: String, suffix: String) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))\(separator)\(pad(time / 3600, 2)):"
            + "\(pad(time / 60 % 60, 2)):\(pad(time % 60, 2)).\(pad(fraction, 6))\(suffix)"
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
