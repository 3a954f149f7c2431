import CoreMetrics
import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostWire

/// Groups probe results into signed batches and appends them to the spool: a batch is cut
/// when it holds `maximumResults` or its oldest result waited `maximumDelay`, so a quiet
/// branch still reports within a fraction of a second and a busy one sends fewer, larger
/// batches (docs/architecture.md, "Data flow", agent batching).
public struct Batcher: Sendable {
    /// How long a result waits for its batch at most by default (plus a quarter of it, the tick):
    /// with ingest's few milliseconds, a probe's row is committed within half a second.
    public static let defaultMaximumDelay = Duration.milliseconds(200)

    private let agentID: AgentID
    private let key: P256Key
    private let spool: Spool
    private let maximumResults: Int
    private let maximumDelay: Duration
    private let logger: Logger

    public init(
        agentID: AgentID, key: P256Key, spool: Spool, maximumResults: Int = 1_000,
        maximumDelay: Duration = Batcher.defaultMaximumDelay,
        logger: Logger
    ) {
        self.agentID = agentID
        self.key = key
        self.spool = spool
        self.maximumResults = maximumResults
        self.maximumDelay = maximumDelay
        self.logger = logger
    }

    /// Consumes `results` until it ends, flushing what is pending at the end.
    public func run(_ results: AsyncStream<ProbeResult>) async {
        var pending: [ProbeResult] = []
        var firstPendingAt = ContinuousClock.now
        // Ticks let a partly filled batch go out on time even when no result arrives.
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: maximumDelay / 4)
                tick.yield()
            }
        }
        defer { ticker.cancel() }
        await withTaskGroup(of: Void.self) { group in
            let (events, event) = AsyncStream.makeStream(of: ProbeResult?.self)
            group.addTask {
                for await result in results { event.yield(result) }
                event.finish()
            }
            group.addTask {
                for await _ in ticks { event.yield(nil) }
            }
            // `events` ends when the results end (the first child finishes it).
            for await next in events {
                if let result = next {
                    if pending.isEmpty { firstPendingAt = .now }
                    pending.append(result)
                }
                if pending.count >= maximumResults
                    || (!pending.isEmpty && firstPendingAt.duration(to: .now) >= maximumDelay)
                {
                    await flush(&pending)
                }
            }
            await flush(&pending)
            ticker.cancel()
            tick.finish()
        }
    }

    private func flush(_ pending: inout [ProbeResult]) async {
        guard !pending.isEmpty else { return }
        var pings: [PingRoundResult] = []
        var samples: [ItemSample] = []
        var generic: [GenericResult] = []
        for result in pending {
            switch result {
            case .ping(let round): pings.append(round)
            case .item(let sample): samples.append(sample)
            case .finding(let finding):
                do {
                    generic.append(GenericResult(kind: .discovery, payload: try finding.encoded()))
                } catch {
                    logger.error(
                        "cannot encode a discovery finding; it is lost",
                        metadata: ["address": "\(finding.address)", "error": "\(error)"])
                }
            case .neighbours(let report):
                do {
                    generic.append(GenericResult(kind: .neighbours, payload: try report.encoded()))
                } catch {
                    logger.error(
                        "cannot encode a neighbour report; it is lost",
                        metadata: ["device": "\(report.deviceID)", "error": "\(error)"])
                }
            }
        }
        let count = pending.count
        pending = []
        Counter(label: "outpost_agent_batches_total").increment()
        Counter(label: "outpost_agent_batch_results_total").increment(by: count)
        do {
            let signingKey = try key.signingKey()
            let agentID = self.agentID
            _ = try await spool.append(resultCount: UInt32(count)) { sequence in
                let batch = Batch(
                    agentID: agentID, sequence: sequence, createdAt: Date(), pingResults: pings, itemSamples: samples,
                    genericResults: generic)
                return try SignedBatch.sign(batch, with: signingKey).serializedBytes
            }
        } catch {
            logger.error(
                "cannot spool a batch; its results are lost", metadata: ["results": "\(count)", "error": "\(error)"])
        }
    }
}
