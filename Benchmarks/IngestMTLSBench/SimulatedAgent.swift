import Foundation
import NIOCore
import NIOPosix
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostTransport
import OutpostWire
import Synchronization

/// One branch agent as the collector sees it: a mutual-TLS session on the real frame codec
/// that pushes signed batches of ping rounds and times each batch from send to Ack.
///
/// It speaks the protocol as `Uplink` does (Hello, Welcome, batches within a window of
/// unacknowledged ones, cumulative sequence numbers) but builds batches in memory instead of
/// reading a spool, so the figures are the collector's and PostgreSQL's, not the agent disk's.
struct SimulatedAgent: Sendable {
    /// How fast batches go out.
    enum Pace: Sendable {
        /// As fast as the window of unacknowledged batches allows.
        case saturate
        /// One batch per interval (still within the window).
        case every(Duration)
    }

    /// What one agent delivered in a phase.
    struct Report: Sendable {
        var batches = 0
        var rows = 0
        /// Send instant and send→Ack latency of every acknowledged batch.
        var acknowledged: [(sent: ContinuousClock.Instant, latency: Duration)] = []
        var start: ContinuousClock.Instant?
        var lastAck: ContinuousClock.Instant?
    }

    let index: Int
    let credentials: AgentCredentials
    let devices: [DeviceID]
    let tls: UplinkTLS

    init(index: Int, credentials: AgentCredentials, devices: [DeviceID]) throws {
        self.index = index
        self.credentials = credentials
        self.devices = devices
        self.tls = try UplinkTLS(credentials: credentials)
    }

    /// The loopback-style address of the agent's `device`th device (as registered).
    static func address(ofDevice device: Int) -> String {
        "10.\(device / 65_536 % 256).\(device / 256 % 256).\(device % 256)"
    }

    /// Connects, waits at `gate` for every other agent, then sends batches until `duration`
    /// has passed since the common start and waits for the last Ack.
    func deliver(to address: CollectorAddress, pace: Pace, window: Int, gate: StartGate, duration: Duration)
        async throws -> Report
    {
        let channel: MessageChannel
        do {
            let tls = self.tls
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            tls.makeClientHandler(serverHostname: address.serverName))
                        try channel.pipeline.syncOperations.addMessageCodec()
                        return try MessageChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            await gate.abandon()
            throw error
        }
        return try await channel.executeThenClose { inbound, outbound in
            var messages = inbound.makeAsyncIterator()
            let first: BatchSequence
            do {
                try await outbound.write(
                    .hello(
                        Hello(agentVersion: "bench", lastAcknowledgedSequence: 0, configVersion: nil, droppedResults: 0)
                    ))
                guard case .welcome(let welcome)? = try await messages.next() else {
                    throw BenchFailure("agent \(index): no Welcome")
                }
                first = welcome.nextExpectedSequence
            } catch {
                await gate.abandon()
                throw error
            }
            let start = await gate.arrive()
            let flight = InFlight(window: window)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await send(from: first, pace: pace, until: start + duration, flight: flight, outbound: outbound)
                }
                // The sender may be waiting for room that only Acks make: once no more come
                // (drained, connection closed, or refused), it must not wait for ever.
                defer { flight.close() }
                // Acks until the sender is done and nothing is in flight; the sender's closing
                // heartbeat wakes this loop when the last Ack came before it finished.
                while !flight.isDrained, let message = try await messages.next() {
                    switch message {
                    case .ack(let ack):
                        flight.acknowledge(ack, at: .now)
                    case .nack(let nack):
                        throw BenchFailure("agent \(index): batch \(nack.sequence) refused (\(nack.reason.rawValue))")
                    case .error(let error):
                        throw BenchFailure("agent \(index): collector error \(error.message)")
                    default:
                        continue  // configuration, heartbeats
                    }
                }
                guard flight.isDrained else {
                    throw BenchFailure(
                        "agent \(index): the collector closed the connection with batches unacknowledged")
                }
                try await group.waitForAll()
                return flight.report(rowsPerBatch: devices.count, start: start)
            }
        }
    }

    private func send(
        from first: BatchSequence, pace: Pace, until end: ContinuousClock.Instant, flight: InFlight,
        outbound: NIOAsyncChannelOutboundWriter<Message>
    ) async throws {
        var sequence = first
        var due = ContinuousClock.now
        if case .every(let interval) = pace {
            // Agents are not synchronised in life: spread their first batches over one interval.
            due += interval * Double.random(in: 0..<1)
        }
        while true {
            if case .every(let interval) = pace {
                try await Task.sleep(until: due, clock: .continuous)
                due += interval
            }
            guard ContinuousClock.now < end else { break }
            await flight.waitForRoom()
            let signed = try SignedBatch.sign(batch(sequence, at: Date()), with: credentials.privateKey.signingKey())
            flight.sent(sequence, at: .now)
            try await outbound.write(.batch(signed))
            sequence += 1
        }
        flight.finishSending()
        try await outbound.write(.heartbeat(Heartbeat(timestamp: Date())))
    }

    /// One round over every device: 1 in 50 unreachable, the rest with plausible LAN RTTs.
    private func batch(_ sequence: BatchSequence, at time: Date) -> Batch {
        let rounds = devices.enumerated().map { offset, device in
            if offset % 50 == 7 {
                return PingRoundResult(
                    deviceID: device, deviceIP: Self.address(ofDevice: offset), timestamp: time,
                    packetsSent: 3, packetsReceived: 0)
            }
            let rtt = 0.2 + Double((offset &* 7 &+ Int(sequence)) % 90) / 10
            return PingRoundResult(
                deviceID: device, deviceIP: Self.address(ofDevice: offset), timestamp: time,
                packetsSent: 3, packetsReceived: 3,
                minRTT: rtt * 0.8, avgRTT: rtt, maxRTT: rtt * 1.3, stddevRTT: rtt * 0.1)
        }
        return Batch(
            agentID: credentials.agentID, sequence: sequence, createdAt: time,
            pingResults: rounds, itemSamples: [], genericResults: [])
    }
}

/// Batches sent and not yet acknowledged, with the window that bounds them.
final class InFlight: Sendable {
    private struct State {
        var sentAt: [BatchSequence: ContinuousClock.Instant] = [:]
        var acknowledged: [(sent: ContinuousClock.Instant, latency: Duration)] = []
        var lastAck: ContinuousClock.Instant?
        var finished = false
        var roomWaiter: CheckedContinuation<Void, Never>?
        /// No more Acks will come: the sender no longer waits for room.
        var closed = false
    }

    private let window: Int
    private let state = Mutex(State())

    init(window: Int) {
        self.window = window
    }

    /// Suspends while `window` batches are unacknowledged (one sender only), until ``close()``.
    func waitForRoom() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let hasRoom = state.withLock { state in
                if state.sentAt.count < window || state.closed { return true }
                state.roomWaiter = waiter
                return false
            }
            if hasRoom { waiter.resume() }
        }
    }

    func sent(_ sequence: BatchSequence, at instant: ContinuousClock.Instant) {
        state.withLock { $0.sentAt[sequence] = instant }
    }

    func acknowledge(_ ack: Ack, at instant: ContinuousClock.Instant) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            var freed = false
            for range in ack.ranges {
                for sequence in range {
                    guard let sent = state.sentAt.removeValue(forKey: sequence) else { continue }
                    state.acknowledged.append((sent, sent.duration(to: instant)))
                    freed = true
                }
            }
            guard freed else { return nil }
            state.lastAck = instant
            defer { state.roomWaiter = nil }
            return state.roomWaiter
        }
        waiter?.resume()
    }

    /// The receiving side ended: a sender waiting for room goes on (its next write fails on
    /// the closed connection, or its cancellation ends it).
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            defer { state.roomWaiter = nil }
            return state.roomWaiter
        }
        waiter?.resume()
    }

    func finishSending() {
        state.withLock { $0.finished = true }
    }

    /// The sender is done and every batch it sent was acknowledged.
    var isDrained: Bool {
        state.withLock { $0.finished && $0.sentAt.isEmpty }
    }

    func report(rowsPerBatch: Int, start: ContinuousClock.Instant) -> SimulatedAgent.Report {
        state.withLock { state in
            SimulatedAgent.Report(
                batches: state.acknowledged.count, rows: state.acknowledged.count * rowsPerBatch,
                acknowledged: state.acknowledged, start: start, lastAck: state.lastAck)
        }
    }
}

/// Holds every agent until all are connected, then releases them with one common start.
actor StartGate {
    private var expected: Int
    private var waiting: [CheckedContinuation<ContinuousClock.Instant, Never>] = []

    init(parties: Int) {
        expected = parties
    }

    /// Arrives; returns the common start once the last party arrived.
    func arrive() async -> ContinuousClock.Instant {
        await withCheckedContinuation { continuation in
            waiting.append(continuation)
            openIfComplete()
        }
    }

    /// A party that failed before arriving: the others must not wait for it.
    func abandon() {
        expected -= 1
        openIfComplete()
    }

    private func openIfComplete() {
        guard waiting.count >= expected else { return }
        let start = ContinuousClock.now
        for continuation in waiting { continuation.resume(returning: start) }
        waiting = []
    }
}
