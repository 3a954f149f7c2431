import Foundation

/// The agent process's memory as `/proc/self/status` reports it (Linux), in bytes; a figure
/// the kernel does not give (or another system) is `nil`.
struct ProcessMemory: Sendable, Equatable {
    /// Resident memory (`VmRSS`).
    var resident: UInt64?
    /// Anonymous resident memory (`RssAnon`): heap and stacks, without code pages and files.
    var anonymous: UInt64?
    /// Peak resident memory (`VmHWM`).
    var peak: UInt64?

    /// Reads `/proc/self/status` now.
    static func read() -> ProcessMemory {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ProcessMemory()
        }
        return ProcessMemory(status: status)
    }

    /// The figures of a `/proc/<pid>/status` text.
    init(status: String) {
        var kibibytes: [Substring: UInt64] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count == 3, parts[2] == "kB", let value = UInt64(parts[1]) { kibibytes[parts[0]] = value }
        }
        func bytes(_ key: Substring) -> UInt64? {
            kibibytes[key].map { $0.multipliedReportingOverflow(by: 1024).overflow ? .max : $0 * 1024 }
        }
        resident = bytes("VmRSS")
        anonymous = bytes("RssAnon")
        peak = bytes("VmHWM")
    }

    init(resident: UInt64? = nil, anonymous: UInt64? = nil, peak: UInt64? = nil) {
        self.resident = resident
        self.anonymous = anonymous
        self.peak = peak
    }
}
