import Crypto
import Foundation
import Logging
import NIOCore
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTransport
import OutpostWire
import PostgresNIO
import ServiceLifecycle

/// One authenticated agent connection: Hello/Welcome, configuration, then batches in,
/// acknowledgements out.
///
/// A batch is verified against the public key registered at enrolment, checked to belong to
/// the certificate's agent, its values checked against their domains (``BatchValidator``),
/// its rows kept to the devices and items of the agent's branch (``LiveBranchScope``), handed
/// to the ingest pipeline, and acknowledged only once the pipeline says it is committed (or a
/// known replay). Everything the agent sends is untrusted: a bad value costs its batch a Nack
/// naming the field, a frame that does not decode ends the session with an Error frame, and
/// neither can reach arithmetic that traps or another branch's rows. At most
/// ``AgentSessionContext/Configuration/maximumBatchesInFlight`` batches are being committed at
/// once; beyond that the session stops reading, and TCP pushes back on the agent.
struct AgentSession {
    let agent: VerifiedAgent
    let peer: String
    let context: AgentSessionContext
    let logger: Logger

    /// A session ended by a protocol or authorisation error, sent to the agent before closing.
    struct Refusal: Error, CustomStringConvertible {
        let code: ErrorCode
        let message: String
        var description: String { message }
    }

    init(agent: VerifiedAgent, peer: String, context: AgentSessionContext, logger: Logger) {
        self.agent = agent
        self.peer = peer
        self.context = context
        var logger = logger
        logger[metadataKey: "agent"] = "\(agent.agentID)"
        self.logger = logger
    }

    func run(on connection: MessageChannel) async throws {
        context.metrics.sessions.increment()
        context.registry.register(connection.channel, agent: agent.agentID)
        let outcome: Result<Void, any Error>
        do {
            try await serveUntilClosed(connection)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        context.registry.unregister(connection.channel, agent: agent.agentID)
        context.metrics.sessions.decrement()
        // After unregistering: no job can be sent on this session any more.
        await context.discovery?.sessionEnded(agent: agent.agentID, channel: ObjectIdentifier(connection.channel))
        await context.diagnostics?.sessionEnded(agent: agent.agentID, channel: ObjectIdentifier(connection.channel))
        try outcome.get()
    }

    private func serveUntilClosed(_ connection: MessageChannel) async throws {
        try await withGracefulShutdownHandler {
            try await connection.executeThenClose { inbound, outbound in
                do {
                    try await serve(inbound: inbound, outbound: outbound, channel: connection.channel)
                } catch let malformed as WireError {
                    context.metrics.malformedFrames.increment()
                    logger.warning(
                        "session refused: malformed frame",
                        metadata: ["peer": "\(peer)", "reason": "\(LogSafeText.escaped("\(malformed)"))"])
                    let message = Nack.detail("malformed frame: \(malformed)")
                    try? await outbound.write(.error(ErrorMessage(code: .protocolViolation, message: message)))
                } catch let refusal as Refusal {
                    logger.warning("session refused", metadata: ["peer": "\(peer)", "reason": "\(refusal.message)"])
                    try? await outbound.write(.error(ErrorMessage(code: refusal.code, message: refusal.message)))
                } catch let error where !(error is CancellationError || error is IngestPipeline.ShuttingDown) {
                    // The agent is told, instead of seeing its connection drop without a word, and
                    // comes back after its back-off; the listener logs the cause.
                    let notice = ErrorMessage(
                        code: .internalError, message: "the collector could not serve this session; try again later")
                    try? await outbound.write(.error(notice))
                    throw error
                }
            }
        } onGracefulShutdown: {
            Self.endForShutdown(connection.channel)
        }
    }

    /// Collector shutdown: the agent is told to go (it reconnects, possibly to another
    /// collector) and closes; batches being committed finish meanwhile, and any the agent did
    /// not see acknowledged are replayed and recognised as duplicates. A peer that does not
    /// close within ``shutdownGrace`` is closed.
    private static func endForShutdown(_ channel: any Channel) {
        let notice = Message.error(ErrorMessage(code: .shuttingDown, message: "collector shutting down; reconnect"))
        channel.writeAndFlush(notice, promise: nil)
        channel.eventLoop.scheduleTask(in: shutdownGrace) { channel.close(promise: nil) }
    }

    /// How long an agent has to close its session after the shutdown notice.
    static let shutdownGrace = TimeAmount.seconds(5)

    private func serve(
        inbound: NIOAsyncChannelInboundStream<Message>, outbound: NIOAsyncChannelOutboundWriter<Message>,
        channel: any Channel
    ) async throws {
        var messages = inbound.makeAsyncIterator()
        let hello = try await receiveHello(&messages)
        do {
            try BatchValidator.validate(
                sequence: hello.lastAcknowledgedSequence, field: "hello.lastAcknowledgedSequence", allowZero: true)
        } catch {
            context.metrics.malformedFrames.increment()
            throw Refusal(code: .protocolViolation, message: "malformed Hello: \(error)")
        }
        let store = AgentSessionStore(logger: logger)
        let agentID = agent.agentID
        guard
            let record = try await context.client.withConnection(
                timeout: PostgresClient.callTimeout, { try await store.agent(agentID, on: $0) })
        else {
            throw Refusal(code: .unauthorized, message: "agent \(agentID) is not registered")
        }
        guard record.status == "active" else {
            throw Refusal(code: .unauthorized, message: "agent \(agentID) is \(record.status)")
        }
        let publicKey: P256.Signing.PublicKey
        do {
            publicKey = try P256.Signing.PublicKey(x963Representation: record.publicKey)
        } catch {
            throw Refusal(
                code: .internalError,
                message:
                    "registered public key of agent \(agentID) is unreadable (\(record.publicKey.count) bytes: \(error))"
            )
        }
        let peer = self.peer
        let highWater = try await context.client.withConnection(timeout: PostgresClient.callTimeout) { connection in
            try await store.recordHello(
                agentID, version: hello.agentVersion, address: peer, droppedResults: hello.droppedResults,
                lastAcknowledged: hello.lastAcknowledgedSequence, on: connection)
        }
        if hello.droppedResults > 0 {
            logger.warning("agent spool dropped results", metadata: ["results": "\(hello.droppedResults)"])
        }
        try await outbound.write(
            .welcome(Welcome(agentID: agentID, nextExpectedSequence: highWater + 1, serverTime: Date())))
        // Jobs may be sent from now on: never before the Welcome.
        context.registry.markWelcomed(channel, agent: agentID)
        context.discovery?.wake()
        context.diagnostics?.wake()
        // Subscribed before the first snapshot is read, so no change slips in between.
        let subscription = context.configSubscribers.subscribe(branch: record.branchID)
        defer { context.configSubscribers.unsubscribe(subscription) }
        let configuration = try await currentConfiguration(branch: record.branchID)
        // Read after the snapshot: every device the agent learns of is in its scope.
        let scope = try await LiveBranchScope.load(branch: record.branchID, client: context.client, logger: logger)
        if configuration.version != hello.configVersion {
            try await outbound.write(.config(configuration))
        }
        logger.info(
            "agent session started",
            metadata: [
                "peer": "\(peer)", "version": "\(LogSafeText.escaped(hello.agentVersion))", "next": "\(highWater + 1)",
            ])

        // The newest summary waits here while the previous one is written: heartbeats never wait for the database.
        let (healthReports, healthSink) = AsyncStream.makeStream(
            of: AgentHealthReport.self, bufferingPolicy: .bufferingNewest(1))
        defer { healthSink.finish() }

        try await withThrowingTaskGroup(of: Void.self) { group in
            // These two run until the subscription and the health stream end below, so
            // `group.next()` in the loop only ever returns a batch task (or the configuration
            // task's error, which ends the session).
            group.addTask {
                try await pushConfigurations(
                    subscription.changes, branch: record.branchID, scope: scope, agentHas: configuration.version,
                    outbound: outbound)
            }
            group.addTask { await recordHealth(healthReports) }
            var inFlight = 0
            while let message = try await messages.next() {
                // TLS checked the certificate once, at the handshake; a session outliving it ends
                // (the agent reconnects with its renewed certificate, or is refused).
                guard Date() < agent.notValidAfter else {
                    throw Refusal(
                        code: .unauthorized,
                        message:
                            "certificate of agent \(agentID) expired at \(agent.notValidAfter); renew it or enrol again"
                    )
                }
                switch message {
                case .batch(let signed):
                    guard
                        let (batch, admitted) = try await accept(
                            signed, publicKey: publicKey, scope: scope, outbound: outbound)
                    else { continue }
                    if inFlight >= context.configuration.maximumBatchesInFlight {
                        try await group.next()
                        inFlight -= 1
                    }
                    inFlight += 1
                    let pipeline = context.pipeline
                    group.addTask {
                        // Written before the batch commits, idempotently: a replay rewrites nothing.
                        try await writeFindings(of: batch)
                        try await writeNeighbours(of: batch, branch: record.branchID)
                        do {
                            _ = try await pipeline.submit(admitted)
                        } catch let quarantined as IngestPipeline.Quarantined {
                            try await outbound.write(
                                .nack(
                                    Nack(
                                        sequence: batch.sequence, reason: .malformedBatch,
                                        detail: Nack.detail(quarantined.description))))
                            return
                        }
                        try await outbound.write(.ack(Ack(sequence: batch.sequence)))
                    }
                case .heartbeat(let heartbeat):
                    if let health = heartbeat.health { healthSink.yield(AgentHealthReport(health)) }
                    try await outbound.write(.heartbeat(Heartbeat(timestamp: Date())))
                case .hello:
                    throw Refusal(code: .protocolViolation, message: "a second Hello in one session")
                case .renewRequest(let request):
                    try await outbound.write(await renew(request))
                case .jobProgress(let progress) where context.diagnostics?.owns(progress.jobID) == true:
                    await reportDiagnostic("job progress", job: progress.jobID) { diagnostics, connection in
                        try await diagnostics.progress(progress, from: agentID, on: connection)
                    }
                case .jobResult(let result) where context.diagnostics?.owns(result.jobID) == true:
                    await reportDiagnostic("job result", job: result.jobID) { diagnostics, connection in
                        try await diagnostics.result(result, from: agentID, on: connection)
                    }
                case .jobProgress(let progress):
                    await report("job progress", job: progress.jobID) { discovery, connection in
                        try await discovery.progress(progress, from: agentID, on: connection)
                    }
                case .jobResult(let result):
                    await report("job result", job: result.jobID) { discovery, connection in
                        try await discovery.result(result, from: agentID, on: connection)
                    }
                case .welcome, .ack, .nack, .config, .job, .jobCancel, .renewResponse, .error:
                    throw Refusal(
                        code: .protocolViolation,
                        message: "agents do not send \(String(describing: message).prefix(20))")
                }
            }
            context.configSubscribers.unsubscribe(subscription)
            healthSink.finish()
            try await group.waitForAll()
        }
    }

    /// Stores each health summary the agent's heartbeats carry as this agent's (the session's
    /// authenticated identity; docs/architecture.md, "Agent health"). A summary that cannot be
    /// stored is logged, not fatal: the next heartbeat brings a newer one.
    private func recordHealth(_ reports: AsyncStream<AgentHealthReport>) async {
        let store = AgentSessionStore(logger: logger)
        let agentID = agent.agentID
        for await report in reports {
            do {
                try await context.client.withConnection(timeout: PostgresClient.callTimeout) {
                    try await store.recordHealth(report, of: agentID, on: $0)
                }
            } catch {
                logger.warning(
                    "cannot record the agent's health summary", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Hands a job report to the discovery dispatcher; a report that cannot be recorded is
    /// logged (the job then ends when its agent reports again or goes silent), not fatal.
    private func report(
        _ what: String, job: UUID,
        _ body: @escaping @Sendable (DiscoveryDispatcher, PostgresConnection) async throws -> Void
    ) async {
        guard let discovery = context.discovery else {
            logger.debug("\(what) ignored: this collector runs no discovery dispatcher", metadata: ["job": "\(job)"])
            return
        }
        do {
            try await context.client.withConnection(timeout: PostgresClient.callTimeout) {
                try await body(discovery, $0)
            }
        } catch {
            logger.error("cannot record \(what)", metadata: ["job": "\(job)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Hands a traceroute or MTR report to the diagnostics dispatcher that sent the job; a report
    /// that cannot be recorded is logged (the job then fails when silent), not fatal.
    private func reportDiagnostic(
        _ what: String, job: UUID,
        _ body: @escaping @Sendable (DiagnosticsDispatcher, PostgresConnection) async throws -> Void
    ) async {
        guard let diagnostics = context.diagnostics else { return }
        do {
            try await context.client.withConnection(timeout: PostgresClient.callTimeout) {
                try await body(diagnostics, $0)
            }
        } catch {
            logger.error("cannot record \(what)", metadata: ["job": "\(job)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Writes the discovery findings a batch carries (generic results of kind discovery).
    private func writeFindings(of batch: Batch) async throws {
        let findings = batch.genericResults.filter { $0.kind == .discovery }.map(\.payload)
        guard !findings.isEmpty, let discovery = context.discovery else { return }
        let agentID = agent.agentID
        try await context.client.withConnection(timeout: PostgresClient.callTimeout) {
            try await discovery.findings(findings, from: agentID, on: $0)
        }
    }

    /// Writes the neighbour reports a batch carries (generic results of kind neighbours). A
    /// report that does not decode, has a value outside its domain or names a device of another
    /// branch is logged and skipped: it costs only itself (`docs/topology.md`).
    private func writeNeighbours(of batch: Batch, branch: UUID) async throws {
        let payloads = batch.genericResults.filter { $0.kind == .neighbours }.map(\.payload)
        guard !payloads.isEmpty else { return }
        let writer = NeighbourWriter(maximumAge: context.configuration.neighbourEdgeMaximumAge, logger: logger)
        for payload in payloads {
            let report: NeighbourReport
            do {
                report = try NeighbourReport(decoding: payload).validated()
            } catch {
                context.metrics.malformedBatches.increment()
                logger.warning(
                    "neighbour report refused", metadata: ["sequence": "\(batch.sequence)", "error": "\(error)"])
                continue
            }
            do {
                try await context.client.withConnection(timeout: PostgresClient.callTimeout) {
                    try await writer.write(report, branch: branch, on: $0)
                }
            } catch let refusal as NeighbourWriter.Refusal {
                context.metrics.foreignRows.increment()
                logger.warning("neighbour report refused", metadata: ["error": "\(refusal)"])
            }
        }
    }

    /// The first message, which must be a Hello. A peer that sends nothing is closed by the
    /// listener's read timeout, which ends the inbound stream.
    private func receiveHello(_ messages: inout NIOAsyncChannelInboundStream<Message>.AsyncIterator) async throws
        -> Hello
    {
        guard case .hello(let hello)? = try await messages.next() else {
            throw Refusal(code: .protocolViolation, message: "the first message must be Hello")
        }
        return hello
    }

    /// The answer to a renewal request: the new certificate, or a non-fatal refusal.
    private func renew(_ request: RenewRequest) async -> Message {
        guard let renewal = context.renewal else {
            return .error(ErrorMessage(code: .renewalRefused, message: "this collector does not renew certificates"))
        }
        do {
            return .renewResponse(try await renewal.renew(agent.agentID, request: request, client: context.client))
        } catch let refusal as AgentCertificateRenewal.Refusal {
            logger.warning("certificate renewal refused", metadata: ["reason": "\(refusal)"])
            return .error(ErrorMessage(code: .renewalRefused, message: refusal.description))
        } catch {
            logger.error("certificate renewal failed", metadata: ["error": "\(String(reflecting: error))"])
            return .error(
                ErrorMessage(code: .renewalRefused, message: "renewal failed on the collector; try again later"))
        }
    }

    /// Verifies, validates and scopes a batch: returns it with the rows to ingest, or refuses
    /// it with a Nack (and returns `nil`) when it is not acceptable.
    private func accept(
        _ signed: SignedBatch, publicKey: P256.Signing.PublicKey, scope: LiveBranchScope,
        outbound: NIOAsyncChannelOutboundWriter<Message>
    ) async throws -> (Batch, IngestBatch)? {
        let batch: Batch
        do {
            batch = try signed.verify(with: publicKey)
        } catch .signatureInvalid {
            context.metrics.verificationFailures.increment()
            logger.warning(
                "batch refused: signature does not verify", metadata: ["sequence": "\(signed.unverifiedSequence ?? 0)"])
            try await outbound.write(.nack(Nack(sequence: signed.unverifiedSequence ?? 0, reason: .invalidSignature)))
            return nil
        } catch {
            return try await refuseMalformed(sequence: signed.unverifiedSequence ?? 0, "\(error)", outbound: outbound)
        }
        guard batch.agentID == agent.agentID else {
            context.metrics.refusedBatches.increment()
            logger.warning("batch refused: signed for agent \(batch.agentID), session is agent \(agent.agentID)")
            try await outbound.write(.nack(Nack(sequence: batch.sequence, reason: .agentMismatch)))
            return nil
        }
        do {
            try BatchValidator(futureSkew: context.configuration.maximumFutureSkew).validate(batch)
        } catch {
            return try await refuseMalformed(sequence: batch.sequence, error.description, outbound: outbound)
        }
        let (admitted, refused) = scope.admitted(batch, payload: signed.serializedBytes)
        if refused.total > 0 {
            context.metrics.foreignRows.increment(by: refused.total)
            logger.warning(
                "rows refused: their devices or items are not of this agent's branch",
                metadata: [
                    "sequence": "\(batch.sequence)", "pings": "\(refused.pings)", "samples": "\(refused.samples)",
                ])
        }
        return (batch, admitted)
    }

    /// Refuses a batch whose signature verified but whose content is malformed.
    private func refuseMalformed(
        sequence: BatchSequence, _ reason: String, outbound: NIOAsyncChannelOutboundWriter<Message>
    ) async throws -> (Batch, IngestBatch)? {
        context.metrics.malformedBatches.increment()
        context.metrics.refusedBatches.increment()
        logger.warning(
            "batch refused: malformed",
            metadata: ["sequence": "\(sequence)", "reason": "\(LogSafeText.escaped(reason))"])
        try await outbound.write(.nack(Nack(sequence: sequence, reason: .malformedBatch, detail: Nack.detail(reason))))
        return nil
    }

    /// The branch's configuration snapshot (devices, items, credentials; see ``AgentConfigurationSource``).
    func currentConfiguration(branch: UUID) async throws -> ConfigSnapshot {
        try await AgentConfigurationSource(client: context.client, masterKey: context.masterKey, logger: logger)
            .snapshot(forBranch: branch)
    }
}
