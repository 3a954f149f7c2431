import Foundation

/// Timestamps on the wire: signed microseconds since 1970-01-01T00:00:00Z (PostgreSQL's
/// `timestamptz` precision), limited to [1970-01-01, 2060-01-01).
///
/// The limit is what makes the mapping to `Date` exact: `Date` is a `Double` of seconds since
/// 2001-01-01, whose spacing stays below half a microsecond only within ±2³¹ s of 2001, so
/// inside this range every microsecond survives `Date` → wire → `Date` unchanged. A clock
/// reading outside it is a broken clock; the encoder refuses it rather than corrupt it.
enum WireTime {
    /// 2001-01-01T00:00:00Z (Foundation's reference date) in Unix microseconds.
    private static let referenceDateMicroseconds: Int64 = 978_307_200_000_000
    /// Accepted range, Unix microseconds: 1970-01-01 up to but excluding 2060-01-01.
    static let validMicroseconds: Range<Int64> = 0..<2_840_140_800_000_000

    static func microseconds(of date: Date, field: StaticString) throws(WireError) -> Int64 {
        let sinceReference = (date.timeIntervalSinceReferenceDate * 1_000_000).rounded()
        let lower = Double(validMicroseconds.lowerBound - referenceDateMicroseconds)
        let upper = Double(validMicroseconds.upperBound - referenceDateMicroseconds)
        guard sinceReference >= lower, sinceReference < upper else {
            throw .invalidField(field: "\(field)", reason: "\(date) is outside 1970-01-01...2059-12-31")
        }
        return Int64(sinceReference) + referenceDateMicroseconds
    }

    static func date(microseconds: Int64, field: StaticString) throws(WireError) -> Date {
        guard validMicroseconds.contains(microseconds) else {
            throw .invalidField(field: "\(field)", reason: "\(microseconds) µs is outside 1970-01-01...2059-12-31")
        }
        return Date(timeIntervalSinceReferenceDate: Double(microseconds - referenceDateMicroseconds) / 1_000_000)
    }
}
