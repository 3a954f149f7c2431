extension TraceEngine {
    /// Runs an MTR: `cycles` traces of the path, one probe per hop each, `interval` apart;
    /// later cycles probe only up to the target once a cycle reached it. `progress` gets the
    /// cycles done after each one. Cancelling the task ends it after the current cycle.
    /// - Throws: ``TraceError`` as ``trace(to:configuration:)`` does.
    public func mtr(
        to target: String, configuration: TraceConfiguration, cycles: Int, interval: Duration,
        progress: @Sendable (Int) async -> Void = { _ in }
    ) async throws(TraceError) -> PathStatistics {
        guard let address = ICMPAddress(parsing: target) else { throw .invalidAddress(String(target.prefix(64))) }
        var cycle = configuration
        cycle.probesPerHop = 1
        var statistics = PathStatistics(target: address.text, probeProtocol: configuration.probeProtocol)
        for index in 0..<max(1, cycles) {
            if index > 0 {
                if let length = statistics.knownLength { cycle.maxHops = min(configuration.maxHops, length) }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
            }
            let result = try await trace(to: target, configuration: cycle)
            statistics.add(result)
            await progress(index + 1)
            if result.ending == .cancelled || Task.isCancelled { break }
        }
        return statistics
    }
}
