import OutpostCore

extension Spool {
    /// The unacknowledged backlog followed by every new batch, oldest first, as the uplink sends it.
    ///
    /// Iteration starts after the acknowledged mark and suspends while `inFlightLimit` yielded
    /// batches are unacknowledged, or until a new batch is durable. Strictly in sequence order:
    /// the collector's idempotency is a per-agent high-water mark, so a batch must never overtake
    /// an older one. `bytesPerSecond` paces the stream (payload plus framing) so a long backlog
    /// does not saturate a thin link; `nil` disables pacing. After a reconnect, start a new replay:
    /// it resends what was in flight and not acknowledged. Iteration ends when the spool closes;
    /// it stops (returns `nil`) when the iterating task is cancelled.
    /// - Parameters:
    ///   - inFlightLimit: batches sent and not yet acknowledged, at most (at least 1).
    ///   - bytesPerSecond: pacing; the default (128 KiB/s ≈ 1 Mbit/s) drains a 3-day backlog of a
    ///     1,000-device branch (≈ 860 MB) in about 1.9 h while live data adds ≈ 3.3 KB/s.
    public nonisolated func replay(inFlightLimit: Int = 32, bytesPerSecond: Int? = 128 * 1024) -> SpoolReplay {
        SpoolReplay(
            spool: self, inFlightLimit: max(1, inFlightLimit), bytesPerSecond: bytesPerSecond.map { max(1, $0) })
    }
}

/// The stream returned by ``Spool/replay(inFlightLimit:bytesPerSecond:)``.
public struct SpoolReplay: AsyncSequence, Sendable {
    public typealias Element = SpoolRecord

    let spool: Spool
    let inFlightLimit: Int
    let bytesPerSecond: Int?

    public func makeAsyncIterator() -> Iterator {
        Iterator(replay: self)
    }

    /// Iterates a ``SpoolReplay``; use it from one task.
    public struct Iterator: AsyncIteratorProtocol {
        private let replay: SpoolReplay
        private var cursor: BatchSequence?
        private var position: ReplayPosition?
        private var inFlight: [BatchSequence] = []
        private var limiter: ReplayRateLimiter?
        private let clock = ContinuousClock()

        init(replay: SpoolReplay) {
            self.replay = replay
            self.limiter = replay.bytesPerSecond.map { ReplayRateLimiter(bytesPerSecond: $0, now: clock.now) }
        }

        /// The next batch to send, or `nil` when the spool closed or the task was cancelled.
        public mutating func next() async -> SpoolRecord? {
            while !Task.isCancelled {
                let step = await replay.spool.replayStep(
                    after: cursor, position: position, inFlight: inFlight,
                    limit: replay.inFlightLimit)
                if step.isClosed { return nil }
                inFlight.removeAll { $0 <= step.acknowledgedThrough }
                guard let record = step.record else {
                    await replay.spool.waitForChange(since: step.version)
                    continue
                }
                if var limiter {
                    let wait = limiter.delay(for: record.payload.count + RecordFormat.overhead, at: clock.now)
                    self.limiter = limiter
                    if wait > .zero {
                        do {
                            try await Task.sleep(for: wait)
                        } catch {
                            return nil
                        }
                    }
                }
                cursor = record.sequence
                position = step.position
                inFlight.append(record.sequence)
                return record
            }
            return nil
        }
    }
}
