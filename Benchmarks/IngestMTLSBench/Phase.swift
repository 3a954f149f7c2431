import OutpostAgent

/// Every agent delivering at once for a fixed time, and what came back.
struct Phase {
    /// Seconds from the call to the common start: every agent's TLS handshake, Hello and Welcome.
    let connecting: Double
    /// Seconds from the common start to the last Ack of any agent.
    let elapsed: Double
    /// Batches and rows acknowledged.
    let batches: Int
    let rows: Int
    /// Send→Ack latency of every acknowledged batch, ascending.
    let latencies: [Duration]
    /// Seconds from the common start to each acknowledged batch's send, with its latency, in send order.
    let timeline: [(sent: Double, latency: Duration)]

    /// Runs `agents` against `address` with `pace` for `duration`, each with `window` batches in flight at most.
    static func run(
        _ agents: [SimulatedAgent], address: CollectorAddress, pace: SimulatedAgent.Pace, window: Int,
        duration: Duration
    ) async throws -> Phase {
        let called = ContinuousClock.now
        let gate = StartGate(parties: agents.count)
        let reports = try await withThrowingTaskGroup(of: SimulatedAgent.Report.self) { group in
            for agent in agents {
                group.addTask {
                    try await agent.deliver(to: address, pace: pace, window: window, gate: gate, duration: duration)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        guard let start = reports.compactMap(\.start).min(), let end = reports.compactMap(\.lastAck).max() else {
            throw BenchFailure("no batch was acknowledged")
        }
        return Phase(
            connecting: called.duration(to: start).seconds,
            elapsed: start.duration(to: end).seconds,
            batches: reports.reduce(0) { $0 + $1.batches },
            rows: reports.reduce(0) { $0 + $1.rows },
            latencies: reports.flatMap { $0.acknowledged.map(\.latency) }.sorted(),
            timeline: reports.flatMap(\.acknowledged).map { (start.duration(to: $0.sent).seconds, $0.latency) }
                .sorted { $0.sent < $1.sent })
    }

    /// The latency below which `fraction` of the batches were acknowledged (nearest rank).
    func latency(percentile fraction: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let rank = Int((fraction * Double(latencies.count)).rounded(.up))
        return latencies[min(max(rank, 1), latencies.count) - 1]
    }

    /// The highest latency of the batches sent in each `seconds`-long slice of the phase, in
    /// milliseconds: whether the tail is one stall or the whole phase.
    func slowestPerSlice(of seconds: Double) -> [Int] {
        var slowest: [Int] = []
        for (sent, latency) in timeline {
            let slice = Int(sent / seconds)
            while slowest.count <= slice { slowest.append(0) }
            slowest[slice] = max(slowest[slice], Int(latency.seconds * 1_000))
        }
        return slowest
    }
}
