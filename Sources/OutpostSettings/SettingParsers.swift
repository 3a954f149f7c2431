/// Parsers for the value forms Outpost's configuration files use.
public enum SettingParsers {
    /// A duration: a positive number followed by `ms`, `s`, `m`, `h` or `d` (`90s`, `7d`).
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" also ends in "s": only accept a number before the unit.
            guard let count = Int64(number), count > 0 else { continue }
            let (total, overflow) = count.multipliedReportingOverflow(by: milliseconds)
            return overflow ? nil : .milliseconds(total)
        }
        return nil
    }

    /// A byte size: a positive integer, optionally followed by `KiB`, `MiB`, `GiB` or `TiB`.
    public static func byteSize(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let count = Int64(text.dropLast(suffix.count)), count > 0 else { return nil }
            let (total, overflow) = count.multipliedReportingOverflow(by: factor)
            return overflow ? nil : total
        }
        guard let bytes = Int64(text), bytes > 0 else { return nil }
        return bytes
    }

    /// `host:port` or `[v6]:port`, port 0–65535; returns the host without brackets.
    public static func endpoint(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            return nil
        }
        var host = Substring(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return (String(host), port)
    }

    /// An integer within `range`.
    public static func integer(in range: ClosedRange<Int>) -> (String) -> Int? {
        { text in Int(text).flatMap { range.contains($0) ? $0 : nil } }
    }

    /// `true` or `false`.
    public static func boolean(_ text: String) -> Bool? {
        Bool(text)
    }
}
