import DequeModule
import Foundation
import OutpostCore

#if canImport(Glibc)
    import Glibc
#endif

/// The engine's I/O thread: sends interleaved echo requests under the global rate limit,
/// matches replies to probes, and runs the per-probe timeouts on a timer wheel.
///
/// A pass sends what is due in one `sendmmsg` per socket and reads replies with `recvmmsg`
/// until the socket is empty, so a probe costs the kernel's work rather than a system call
/// each way; rounds that finish during a pass are reported together at its end
/// (docs/architecture.md, "Stack traps").
///
/// A noncopyable value rather than a class: its state is then mutated through `inout self`, whose
/// exclusive access the compiler checks once, instead of at run time on every property access
/// of every probe. Not `Sendable`: created and used only on its own thread; it talks to the rest
/// through ``ICMPInbox``.
struct ICMPLoop: ~Copyable {
    private enum TimerEvent {
        /// A probe's reply is due.
        case timeout(sequence: UInt16, token: UInt32)
        /// The next request of a round is due.
        case nextPacket(round: Int32)
    }

    /// A request placed in a send batch: the probe it carries.
    private struct Outgoing {
        let round: Int32
        let sequence: UInt16
        let token: UInt32
    }

    /// One socket, with the requests the current pass is about to send on it.
    private struct Lane {
        let socket: ICMPSocket
        let batch: ICMPMessageBatch
        var outgoing: [Outgoing] = []
        /// The socket buffer was full: nothing more is sent on it until it is writable.
        var isBlocked = false

        init(socket: ICMPSocket, capacity: Int) {
            self.socket = socket
            batch = ICMPMessageBatch(capacity: capacity, slotBytes: ICMPPacket.requestLength)
            outgoing.reserveCapacity(capacity)
        }
    }

    private let inbox: ICMPInbox
    private let overruns: RoundOverruns
    /// The IPv4 lane, then the IPv6 lane when there is an IPv6 socket.
    private var lanes: [Lane]
    /// The IPv6 lane's index in ``lanes``, when there is one.
    private let ipv6Lane: Int?
    private let cookie: UInt64
    private var wheel: TimerWheel<TimerEvent>
    /// Timers fired by the last advance of the wheel.
    private var fired: [TimerEvent] = []
    private var limiter: SendRateLimiter
    private var probes = ProbeTable()
    private var rounds = RoundTable()
    /// Rounds whose next request is due, in due order.
    private var sendQueue = Deque<Int32>()
    /// Rounds finished during this pass, reported at its end.
    private var finished: [(request: RoundRequest, result: PingRoundResult)] = []
    private var nextToken: UInt32 = 0
    private var counters = ICMPCounters()
    private var countersChanged = false
    /// Requests sent per pass before reading replies again, so that a burst of rounds does not
    /// overflow the receive buffer with replies nobody reads (loss that is not real).
    private static let sendBatch = 64
    /// Datagrams read per socket per pass, so that sending keeps its pace under a flood.
    private static let receiveLimit = 4096
    /// Replies read by one `recvmmsg`; 256 bytes hold any reply or error about our requests
    /// (IPv4 header with options, ICMP header, quoted header with options, our 20 bytes).
    private let replies = ICMPMessageBatch(capacity: 64, slotBytes: 256)
    private let errorBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
    /// The wake-up pipe and each socket, for `poll`.
    private let pollSet: UnsafeMutablePointer<pollfd>

    init(
        inbox: ICMPInbox, overruns: RoundOverruns, ipv4: ICMPSocket, ipv6: ICMPSocket?, cookie: UInt64,
        sendRate: SharedSendRate
    ) {
        let now = MonotonicClock.now()
        self.inbox = inbox
        self.overruns = overruns
        lanes = ([ipv4] + (ipv6.map { [$0] } ?? [])).map { Lane(socket: $0, capacity: Self.sendBatch) }
        ipv6Lane = ipv6 == nil ? nil : 1
        self.cookie = cookie
        wheel = TimerWheel(now: now)
        limiter = SendRateLimiter(rate: sendRate, now: now)
        pollSet = .allocate(capacity: 1 + lanes.count)
        pollSet.initialize(repeating: pollfd(), count: 1 + lanes.count)
    }

    deinit {
        errorBuffer.deallocate()
        pollSet.deallocate()
    }

    /// Runs until the inbox asks to stop; then completes every open round with what it has,
    /// closes the sockets and releases whoever awaits the stop.
    mutating func run() {
        var requests: [RoundRequest] = []
        var woken = true
        while inbox.take(into: &requests, drainingWakeUps: woken) {
            if !requests.isEmpty {
                let now = Date()
                for request in requests { sendQueue.append(rounds.add(request, startedAt: now)) }
                requests.removeAll(keepingCapacity: true)
            }
            fireDueTimers()
            sendDue()
            reportFinished()
            woken = waitForEvents()
            reportFinished()
        }
        inbox.takeRemaining(into: &requests)
        for request in requests { _ = rounds.add(request, startedAt: Date()) }
        for slot in rounds.slots { finished.append(rounds.remove(slot)) }
        countersChanged = true
        reportFinished()
        for lane in lanes { close(lane.socket.fd) }
        inbox.markStopped()
    }

    /// Publishes the counters, then completes the rounds finished in this pass, counting the
    /// overrun ones: whoever awaits a round then reads counters that include it.
    private mutating func reportFinished() {
        if countersChanged {
            inbox.publish(counters)
            countersChanged = false
        }
        guard !finished.isEmpty else { return }
        let completedAt = MonotonicClock.now()
        for (request, result) in finished {
            overruns.record(completedAt: completedAt, deadline: request.overrunDeadline)
            request.completion(result)
        }
        finished.removeAll(keepingCapacity: true)
    }

    // MARK: Rounds

    private mutating func finishIfComplete(_ slot: Int32) {
        guard rounds[slot].isComplete else { return }
        finished.append(rounds.remove(slot))
    }

    /// Books one request of the round in `slot` as handed to the socket (or refused) at
    /// `sentAt`, and schedules the round's next request.
    private mutating func requestDone(_ slot: Int32, at sentAt: UInt64) {
        rounds[slot].sent += 1
        if rounds[slot].sent < rounds[slot].packetsPerRound {
            wheel.schedule(.nextPacket(round: slot), at: sentAt + rounds[slot].packetInterval)
        } else {
            finishIfComplete(slot)
        }
    }

    private mutating func fireDueTimers() {
        wheel.advance(to: MonotonicClock.now(), into: &fired)
        for event in fired { fire(event) }
        fired.removeAll(keepingCapacity: true)
    }

    private mutating func fire(_ event: TimerEvent) {
        switch event {
        case .nextPacket(let round):
            sendQueue.append(round)
        case .timeout(let sequence, let token):
            let probe = probes[sequence]
            guard probe.state == .inFlight, probe.token == token else { return }
            probes.settle(sequence, as: .timedOut)
            rounds[probe.round].outstanding -= 1
            finishIfComplete(probe.round)
        }
    }

    // MARK: Sending

    /// Puts the due requests into the sockets' batches, as far as the rate limit, free sequence
    /// numbers and the batch size allow, and sends them.
    private mutating func sendDue() {
        let now = MonotonicClock.now()
        var batched = 0
        while batched < Self.sendBatch, let slot = sendQueue.first {
            let address = rounds[slot].address
            let lane = address.isIPv6 ? ipv6Lane : 0
            if let lane, lanes[lane].isBlocked { break }
            // More free sequence numbers than batched requests: the batch's numbers are distinct.
            guard probes.freeCount > batched, limiter.tryAcquire(now: now) else { break }
            sendQueue.removeFirst()
            batched += 1
            guard let lane else {
                // No socket of this family: the request counts as refused.
                counters.sendFailures += 1
                countersChanged = true
                requestDone(slot, at: now)
                continue
            }
            let sequence = probes.nextFreeSequence()
            nextToken &+= 1
            let socket = lanes[lane].socket
            ICMPPacket.encodeEchoRequest(
                into: lanes[lane].batch.append(to: address), isIPv6: socket.isIPv6, identifier: socket.identifier,
                sequence: sequence, cookie: cookie, token: nextToken)
            lanes[lane].outgoing.append(Outgoing(round: slot, sequence: sequence, token: nextToken))
        }
        for lane in lanes.indices where lanes[lane].batch.count > 0 { flush(lane) }
    }

    /// Sends `lane`'s batch and books each request; requests the full socket did not take go
    /// back to the front of the queue.
    private mutating func flush(_ lane: Int) {
        let batch = lanes[lane].batch
        let before = MonotonicClock.now()
        let handled = lanes[lane].socket.send(batch)
        let after = MonotonicClock.now()
        for index in 0..<handled {
            let probe = lanes[lane].outgoing[index]
            // The batch's requests left one after another between the two clock readings.
            let sentAt = before + (after - before) * UInt64(index) / UInt64(handled)
            if batch.isRefused(index) {
                counters.sendFailures += 1
            } else {
                probes.launch(probe.sequence, round: probe.round, token: probe.token, sentAt: sentAt)
                rounds[probe.round].outstanding += 1
                counters.sent += 1
                wheel.schedule(
                    .timeout(sequence: probe.sequence, token: probe.token), at: sentAt + rounds[probe.round].timeout)
            }
            requestDone(probe.round, at: sentAt)
        }
        if handled < batch.count {
            lanes[lane].isBlocked = true
            for index in (handled..<batch.count).reversed() { sendQueue.prepend(lanes[lane].outgoing[index].round) }
        }
        countersChanged = true
        batch.removeAll()
        lanes[lane].outgoing.removeAll(keepingCapacity: true)
    }

    // MARK: Receiving

    /// Waits for replies, writability, a wake-up or the next deadline, and reads what came.
    /// Returns whether the inbox's wake-up pipe is readable.
    private mutating func waitForEvents() -> Bool {
        pollSet[0] = pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0)
        for (index, lane) in lanes.enumerated() {
            let events = Int16(POLLIN) | (lane.isBlocked ? Int16(POLLOUT) : 0)
            pollSet[index + 1] = pollfd(fd: lane.socket.fd, events: events, revents: 0)
        }
        var wakeAt = wheel.nextDeadlineHint
        if !sendQueue.isEmpty, probes.freeCount > 0 {
            let tokenTime = limiter.nextTokenTime()
            wakeAt = min(wakeAt ?? tokenTime, tokenTime)
        }
        var timeoutMilliseconds: Int32 = -1
        if let wakeAt {
            let now = MonotonicClock.now()
            // Rounded up: the wheel ticks in milliseconds and the bucket holds 10 ms of tokens.
            let delay = wakeAt > now ? (wakeAt - now + 999_999) / 1_000_000 : 0
            timeoutMilliseconds = Int32(min(delay, 60_000))
        }
        let ready = poll(pollSet, nfds_t(1 + lanes.count), timeoutMilliseconds)
        // Interrupted: read the pipe next pass rather than miss a wake-up.
        guard ready > 0 else { return ready < 0 }
        for lane in lanes.indices {
            let revents = pollSet[lane + 1].revents
            let socket = lanes[lane].socket
            if revents & Int16(POLLOUT) != 0 { lanes[lane].isBlocked = false }
            if revents & Int16(POLLERR) != 0, socket.kind == .datagram { drainErrorQueue(of: socket) }
            if revents & Int16(POLLIN) != 0 { drainReplies(of: socket) }
        }
        return pollSet[0].revents != 0
    }

    private mutating func drainReplies(of socket: ICMPSocket) {
        var read = 0
        while read < Self.receiveLimit {
            let count = socket.receive(into: replies)
            guard count > 0 else { return }
            // Replies of one batch were all queued before this reading.
            let receivedAt = MonotonicClock.now()
            for index in 0..<count {
                switch ICMPPacket.decode(
                    replies.received(index), isIPv6: socket.isIPv6, hasIPHeader: socket.hasIPHeader)
                {
                case .echoReply(let key):
                    guard let source = replies.source(index) else { continue }
                    handleReply(key, from: source, at: receivedAt, on: socket)
                case .error(let key, let destination):
                    guard key.identifier == socket.identifier else { continue }
                    handleError(key, destination: destination)
                case nil:
                    continue
                }
            }
            // A batch that is not full emptied the queue; poll reports whatever comes next.
            guard count == replies.capacity else { return }
            read += count
        }
    }

    private mutating func drainErrorQueue(of socket: ICMPSocket) {
        for _ in 0..<Self.receiveLimit {
            guard let (length, destination, isICMP) = socket.receiveError(into: errorBuffer) else { return }
            // The error queue returns the echo request we sent, addressed to its destination.
            guard isICMP, let destination, length >= 8 else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: errorBuffer[0..<min(length, errorBuffer.count)])
            handleError(ICMPPacket.probeKey(bytes, at: 0), destination: destination)
        }
    }

    private mutating func handleReply(
        _ key: ICMPPacket.ProbeKey, from source: ICMPAddress, at receivedAt: UInt64, on socket: ICMPSocket
    ) {
        // Raw sockets see every echo reply of the host: keep only ours.
        guard key.identifier == socket.identifier, key.cookie == cookie, let token = key.token else { return }
        let probe = probes[key.sequence]
        guard probe.state != .unused else { return }
        countersChanged = true
        guard probe.token == token else {
            // The sequence number came round again: this answers an older, settled probe.
            counters.late += 1
            return
        }
        switch probe.state {
        case .inFlight:
            // In flight: its round is in progress.
            guard rounds[probe.round].address == source else {
                counters.wrongSource += 1
                return
            }
            probes.settle(key.sequence, as: .answered)
            counters.received += 1
            rounds[probe.round].statistics.add(Double(receivedAt - probe.sentAt) / 1_000_000)
            rounds[probe.round].outstanding -= 1
            finishIfComplete(probe.round)
        case .answered:
            counters.duplicates += 1
        case .timedOut, .failed, .unused:
            counters.late += 1
        }
    }

    private mutating func handleError(_ key: ICMPPacket.ProbeKey, destination: ICMPAddress) {
        if let keyCookie = key.cookie, keyCookie != cookie { return }
        let probe = probes[key.sequence]
        guard probe.state == .inFlight, key.token.map({ $0 == probe.token }) ?? true,
            rounds[probe.round].address == destination
        else { return }
        probes.settle(key.sequence, as: .failed)
        counters.unreachable += 1
        countersChanged = true
        rounds[probe.round].outstanding -= 1
        finishIfComplete(probe.round)
    }
}
