import Foundation
import OutpostTestSupport

/// Runs `fping -C` on the same targets as the engine and parses its per-probe output.
enum Fping {
    /// Per target, one entry per probe: the RTT in milliseconds, or `nil` when lost.
    /// Runs on its own thread: fping takes seconds and must not hold a concurrency thread.
    static func run(targets: [String], count: Int, periodMilliseconds: Int, timeoutMilliseconds: Int) async throws
        -> [String: [Double?]]
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            targets: targets, count: count, periodMilliseconds: periodMilliseconds,
                            timeoutMilliseconds: timeoutMilliseconds)
                    })
            }.start()
        }
    }

    private static func runBlocking(targets: [String], count: Int, periodMilliseconds: Int, timeoutMilliseconds: Int)
        throws -> [String: [Double?]]
    {
        let arguments =
            ["-C", "\(count)", "-q", "-p", "\(periodMilliseconds)", "-t", "\(timeoutMilliseconds)", "-i", "1"] + targets
        // Exit status 1 means some probes were lost, which the tests expect; 2+ are errors.
        let result = try BlockingCommand.run("fping", arguments, allowFailure: true)
        guard result.status <= 1 else {
            throw TestEnvironmentError("fping exited \(result.status): \(result.standardError)")
        }
        return parse(result.standardError)
    }

    /// Parses `fping -C -q` output: "198.18.3.5 : 50.12 - 49.88" per target.
    static func parse(_ text: String) -> [String: [Double?]] {
        var results: [String: [Double?]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let host = parts[0].trimmingCharacters(in: .whitespaces)
            results[host] = parts[1].split(separator: " ").map { $0 == "-" ? nil : Double($0) }
        }
        return results
    }
}
