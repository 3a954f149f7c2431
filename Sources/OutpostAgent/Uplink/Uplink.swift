import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import OutpostCore
import OutpostTransport
import OutpostWire

/// Delivers the spool to a collector over mutual TLS, takes configuration and jobs back (jobs
/// go to the ``JobRunner``) and renews the agent's certificate when it is due (see ``UplinkIdentity``).
///
/// It connects to the first reachable collector of its list (failover in order), says Hello
/// with its acknowledgement mark and the spool's unreported losses, then streams the spool
/// oldest-first within the in-flight window while reading Acks; a batch leaves the spool only
/// when it and every earlier one are acknowledged. Any failure closes the connection and the
/// uplink reconnects after a capped exponential backoff with jitter; nothing is lost meanwhile
/// because the spool keeps everything unacknowledged.
public final class Uplink: Sendable {
    /// Uplink tuning.
    public struct Configuration: Sendable {
        /// Collectors in order of preference.
        public var collectors: [CollectorAddress]
        /// Unacknowledged batches in flight.
        public var window = 32
        /// Replay rate limit in bytes/s (`nil`: unlimited).
        public var bytesPerSecond: Int? = 1 << 20
        /// First and longest reconnect delays.
        public var minimumBackoff: Duration = .milliseconds(200)
        public var maximumBackoff: Duration = .seconds(30)
        /// Agent version sent in Hello and in the health summary.
        public var agentVersion = "outpost-agent/0.1"
        /// How often the agent sends a heartbeat with its health summary, whatever else it sends
        /// (the first right after Welcome).
        public var heartbeatInterval = Heartbeat.idleInterval

        public init(collectors: [CollectorAddress]) {
            self.collectors = collectors
        }
    }

    private let configuration: Configuration
    private let identity: UplinkIdentity
    private let spool: Spool
    private let configurationVersion: @Sendable () async -> String?
    private let applyConfiguration: @Sendable (ConfigSnapshot) async -> Void
    private let jobs: JobRunner?
    private let health: AgentHealthReporter
    private let logger: Logger

    /// - Parameters:
    ///   - configurationVersion: the version of the configuration the agent runs (sent in Hello).
    ///   - applyConfiguration: called with each configuration snapshot the collector sends.
    ///   - jobs: runs the jobs the collector sends (`nil`: every Job is answered `failed`).
    ///   - health: where the heartbeats' health summary reads the ping load.
    public init(
        configuration: Configuration, identity: UplinkIdentity, spool: Spool, logger: Logger,
        configurationVersion: @escaping @Sendable () async -> String?,
        applyConfiguration: @escaping @Sendable (ConfigSnapshot) async -> Void,
        jobs: JobRunner? = nil, health: AgentHealthSources = AgentHealthSources()
    ) {
        self.jobs = jobs
        self.health = AgentHealthReporter(agentVersion: configuration.agentVersion, spool: spool, sources: health)
        self.configuration = configuration
        self.identity = identity
        self.spool = spool
        self.logger = logger
        self.configurationVersion = configurationVersion
        self.applyConfiguration = applyConfiguration
    }

    /// Connects and delivers until cancelled, reconnecting after every failure.
    public func run() async {
        var backoff = configuration.minimumBackoff
        var index = 0
        while !Task.isCancelled {
            let address = configuration.collectors[index % configuration.collectors.count]
            do {
                let delivered = try await session(with: address)
                if delivered { backoff = configuration.minimumBackoff }
                logger.info("collector closed the session", metadata: ["collector": "\(address)"])
            } catch {
                if Task.isCancelled { return }
                logger.warning("collector session failed", metadata: ["collector": "\(address)", "error": "\(error)"])
                Counter(label: "outpost_agent_uplink_sessions_total", dimensions: [("result", "failed")]).increment()
                let credentials = identity.credentials
                if credentials.isExpired() {
                    logger.error(
                        "the agent certificate expired; enrol again with a new token (outpost-agent enrol)",
                        metadata: [
                            "expired": "\(credentials.certificate.notValidAfter)"
                        ])
                }
                index += 1
            }
            // Full jitter: a branch-wide outage must not reconnect every agent at once.
            let delay = Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18
            try? await Task.sleep(for: .milliseconds(Int(Double.random(in: 0.5...1.0) * delay * 1000)))
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
    }

    /// One connection; returns whether the collector welcomed the agent.
    private func session(with address: CollectorAddress) async throws -> Bool {
        let tls = identity.tls
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(tls.makeClientHandler(serverHostname: address.serverName))
                    try operations.addDeadPeerDetection(timeout: .seconds(Heartbeat.timeout.components.seconds))
                    try operations.addMessageCodec()
                    return try MessageChannel(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var messages = inbound.makeAsyncIterator()
            let acknowledged = await spool.stats.acknowledgedThrough
            let drops = await spool.unreportedDrops
            try await outbound.write(
                .hello(
                    Hello(
                        agentVersion: configuration.agentVersion, lastAcknowledgedSequence: acknowledged,
                        configVersion: await configurationVersion(), droppedResults: drops.droppedResults)))
            let welcome: Welcome
            switch try await messages.next() {
            case .welcome(let message): welcome = message
            case .error(let error): throw UplinkError.refusedByCollector(error.message)
            case let other:
                throw UplinkError.protocolViolation("expected Welcome, got \(String(describing: other).prefix(40))")
            }
            await spool.markDropsReported(drops)
            var tracker = AckTracker(acknowledgedThrough: acknowledged)
            // A Welcome saying 0 (never valid) must not wrap around to "everything is settled".
            let settled = min(max(welcome.nextExpectedSequence, 1) - 1, await spool.stats.durableThrough)
            tracker.settle(through: settled)
            if settled > acknowledged { try await spool.acknowledge(through: settled) }
            logger.info(
                "connected to collector",
                metadata: ["collector": "\(address)", "next": "\(welcome.nextExpectedSequence)"])
            Counter(label: "outpost_agent_uplink_sessions_total", dimensions: [("result", "connected")]).increment()
            try await exchange(messages: &messages, outbound: outbound, tracker: tracker)
            return true
        }
    }

    /// Attaches the job runner to this session while it lasts and delivers (see ``deliver(messages:outbound:tracker:)``).
    private func exchange(
        messages: inout NIOAsyncChannelInboundStream<Message>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<Message>, tracker: AckTracker
    ) async throws {
        let attachment = await jobs?.attach { message in try? await outbound.write(message) }
        do {
            try await deliver(messages: &messages, outbound: outbound, tracker: tracker)
        } catch {
            if let attachment { await jobs?.detach(attachment) }
            throw error
        }
        if let attachment { await jobs?.detach(attachment) }
    }

    /// Sends the spool and heartbeats while handling what the collector sends, until either side ends.
    private func deliver(
        messages: inout NIOAsyncChannelInboundStream<Message>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<Message>, tracker: AckTracker
    ) async throws {
        let spool = self.spool
        let replay = spool.replay(inFlightLimit: configuration.window, bytesPerSecond: configuration.bytesPerSecond)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await record in replay {
                    try await outbound.write(.batch(try SignedBatch(serializedBytes: record.payload)))
                }
            }
            group.addTask { [health, configuration] in
                // Regularly even when batches flow, so the collector always has a fresh summary
                // (docs/architecture.md, "Agent health").
                while true {
                    try await outbound.write(.heartbeat(Heartbeat(timestamp: Date(), health: await health.summary())))
                    try await Task.sleep(for: configuration.heartbeatInterval)
                }
            }
            group.addTask { [identity] in
                while true {
                    // Re-checked at least every 5 minutes: the due date moves when a renewal is
                    // answered or refused, and the wall clock may jump.
                    let wait = identity.nextRenewalAttempt.timeIntervalSinceNow
                    if wait > 0 {
                        try await Task.sleep(for: .milliseconds(Int(min(wait, 300) * 1000) + 1))
                        continue
                    }
                    try await outbound.write(.renewRequest(try identity.makeRenewalRequest()))
                }
            }
            var tracker = tracker
            defer { group.cancelAll() }
            while let message = try await messages.next() {
                switch message {
                case .ack(let ack):
                    for range in ack.ranges {
                        for sequence in range {
                            if let mark = tracker.acknowledge(sequence) { try await spool.acknowledge(through: mark) }
                        }
                    }
                case .nack(let nack) where nack.reason.isPermanent:
                    // The collector will never take this batch: keeping it would stall the spool.
                    logger.error(
                        "collector refused a batch for good; dropping it",
                        metadata: [
                            "sequence": "\(nack.sequence)", "reason": "\(nack.reason.rawValue)",
                            "detail": "\(LogSafeText.escaped(nack.detail ?? ""))",
                        ])
                    if let mark = tracker.acknowledge(nack.sequence) { try await spool.acknowledge(through: mark) }
                case .nack(let nack):
                    throw UplinkError.refusedByCollector(
                        "batch \(nack.sequence) refused for now (reason \(nack.reason.rawValue)); retrying later")
                case .config(let snapshot):
                    await applyConfiguration(snapshot)
                case .heartbeat:
                    continue
                case .job(let job):
                    if let jobs {
                        await jobs.start(job)
                    } else {
                        try await outbound.write(
                            .jobResult(JobResult(jobID: job.id, outcome: .failed, detail: "this agent runs no jobs")))
                    }
                case .jobCancel(let request):
                    await jobs?.cancel(request)
                case .renewResponse(let response):
                    do {
                        let renewed = try identity.adopt(response)
                        logger.notice(
                            "agent certificate renewed",
                            metadata: [
                                "serial": "\(renewed.certificate.serialNumber.hexString)",
                                "not_after": "\(renewed.certificate.notValidAfter)",
                            ])
                    } catch {
                        let retry = identity.renewalRefused()
                        logger.error(
                            "renewed certificate unusable; keeping the current one",
                            metadata: ["error": "\(error)", "retry": "\(retry)"])
                    }
                case .error(let error) where error.code == .renewalRefused:
                    let retry = identity.renewalRefused()
                    logger.warning(
                        "certificate renewal refused",
                        metadata: ["reason": "\(LogSafeText.escaped(error.message))", "retry": "\(retry)"])
                case .error(let error):
                    throw UplinkError.refusedByCollector(error.message)
                default:
                    logger.debug("message ignored by this agent version")
                }
            }
        }
    }
}
