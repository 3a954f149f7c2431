import DequeModule
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The engine's I/O thread: sends interleaved echo requests under the global rate limit,
/// matches replies to probes, and runs the per-probe timeouts on a timer wheel.
///
/// Not `Sendable`: created and used only on its own thread; it talks to the rest through ``ICMPInbox``.
final class ICMPLoop {
    private enum TimerEvent {
        /// A probe's reply is due.
        case timeout(sequence: UInt16, token: UInt32)
        /// The next request of a round is due.
        case nextPacket(round: Int32)
    }

    private let inbox: ICMPInbox
    private let ipv4: ICMPSocket?
    private let ipv6: ICMPSocket?
    private let cookie: UInt64
    private var wheel: TimerWheel<TimerEvent>
    private var limiter: SendRateLimiter
    private var probes = ProbeTable()
    private var rounds: [RoundState?] = []
    private var freeRounds: [Int32] = []
    /// Rounds whose next request is due, in due order.
    private var sendQueue = Deque<Int32>()
    private var nextToken: UInt32 = 0
    private var counters = ICMPCounters()
    private var countersChanged = false
    private var ipv4Blocked = false
    private var ipv6Blocked = false
    private let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: ICMPPacket.requestLength, alignment: 8)
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    /// Datagrams read per socket per wake-up, so that sending keeps its pace under a flood.
    private let receiveBatch = 4096
    /// Requests sent per wake-up before reading replies again, so that a burst of rounds
    /// does not overflow the receive buffer with replies nobody reads (loss that is not real).
    private let sendBatch = 64

    init(inbox: ICMPInbox, ipv4: ICMPSocket?, ipv6: ICMPSocket?, cookie: UInt64, sendRate: SharedSendRate) {
        let now = MonotonicClock.now()
        self.inbox = inbox
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.cookie = cookie
        wheel = TimerWheel(now: now)
        limiter = SendRateLimiter(rate: sendRate, now: now)
    }

    deinit {
        packet.deallocate()
        receiveBuffer.deallocate()
    }

    /// Runs until the inbox asks to stop; then completes every open round with what it has,
    /// closes the sockets and releases whoever awaits the stop.
    func run() {
        while let requests = inbox.take() {
            for request in requests { start(request) }
            wheel.advance(to: MonotonicClock.now(), fire: fire)
            sendDue()
            publishCounters()
            waitForEvents()
        }
        for request in inbox.takeRemaining() { start(request) }
        for index in rounds.indices {
            guard let round = rounds[index] else { continue }
            round.request.completion(round.result)
        }
        inbox.publish(counters)
        if let ipv4 { close(ipv4.fd) }
        if let ipv6 { close(ipv6.fd) }
        inbox.markStopped()
    }

    private func publishCounters() {
        guard countersChanged else { return }
        inbox.publish(counters)
        countersChanged = false
    }

    // MARK: Rounds

    private func start(_ request: RoundRequest) {
        let state = RoundState(request: request, startedAt: Date())
        let index: Int32
        if let free = freeRounds.popLast() {
            index = free
            rounds[Int(index)] = state
        } else {
            index = Int32(rounds.count)
            rounds.append(state)
        }
        sendQueue.append(index)
    }

    private func finishIfComplete(_ index: Int32) {
        guard let round = rounds[Int(index)], round.isComplete else { return }
        rounds[Int(index)] = nil
        freeRounds.append(index)
        // Whoever awaits this round then reads counters that include it.
        publishCounters()
        round.request.completion(round.result)
    }

    private func fire(_ event: TimerEvent) {
        switch event {
        case .nextPacket(let round):
            sendQueue.append(round)
        case .timeout(let sequence, let token):
            let probe = probes[sequence]
            guard probe.state == .inFlight, probe.token == token else { return }
            probes.settle(sequence, as: .timedOut)
            rounds[Int(probe.round)]?.outstanding -= 1
            finishIfComplete(probe.round)
        }
    }

    // MARK: Sending

    private func sendDue() {
        var budget = sendBatch
        while budget > 0, let index = sendQueue.first, let round = rounds[Int(index)] {
            budget -= 1
            let target = round.request.target.address
            let socket = target.isIPv6 ? ipv6 : ipv4
            if target.isIPv6 ? ipv6Blocked : ipv4Blocked { return }
            guard probes.hasFreeSequence, limiter.tryAcquire(now: MonotonicClock.now()) else { return }
            let sentAt: UInt64
            switch send(to: target, on: socket, round: index) {
            case .wouldBlock:
                if target.isIPv6 { ipv6Blocked = true } else { ipv4Blocked = true }
                return
            case .sent(let time):
                sentAt = time
            case .failed:
                sentAt = MonotonicClock.now()
                counters.sendFailures += 1
            }
            countersChanged = true
            sendQueue.removeFirst()
            rounds[Int(index)]?.sent += 1
            if round.sent + 1 < round.request.configuration.packetsPerRound {
                wheel.schedule(
                    .nextPacket(round: index), at: sentAt + round.request.configuration.packetInterval.nanoseconds)
            } else {
                finishIfComplete(index)
            }
        }
    }

    private enum SendResult {
        case sent(at: UInt64)
        case wouldBlock
        case failed
    }

    private func send(to target: ICMPAddress, on socket: ICMPSocket?, round index: Int32) -> SendResult {
        guard let socket else { return .failed }
        let sequence = probes.nextFreeSequence()
        nextToken &+= 1
        ICMPPacket.encodeEchoRequest(
            into: packet, isIPv6: socket.isIPv6, identifier: socket.identifier,
            sequence: sequence, cookie: cookie, token: nextToken
        )
        let sentAt = MonotonicClock.now()
        switch socket.send(UnsafeRawBufferPointer(packet), to: target) {
        case .wouldBlock:
            return .wouldBlock
        case .failed:
            return .failed
        case .sent:
            probes.launch(sequence, round: index, token: nextToken, sentAt: sentAt)
            rounds[Int(index)]?.outstanding += 1
            counters.sent += 1
            let timeout = rounds[Int(index)]?.request.configuration.timeout.nanoseconds ?? 0
            wheel.schedule(.timeout(sequence: sequence, token: nextToken), at: sentAt + timeout)
            return .sent(at: sentAt)
        }
    }

    // MARK: Receiving

    private func waitForEvents() {
        var fds = [pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0)]
        for (socket, blocked) in [(ipv4, ipv4Blocked), (ipv6, ipv6Blocked)] {
            guard let socket else { continue }
            fds.append(pollfd(fd: socket.fd, events: Int16(POLLIN) | (blocked ? Int16(POLLOUT) : 0), revents: 0))
        }
        var wakeAt = wheel.nextDeadlineHint
        if !sendQueue.isEmpty, probes.hasFreeSequence {
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
        let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        guard ready > 0 else { return }
        for entry in fds.dropFirst() where entry.revents != 0 {
            guard let socket = entry.fd == ipv4?.fd ? ipv4 : ipv6 else { continue }
            if entry.revents & Int16(POLLOUT) != 0 {
                if socket.isIPv6 { ipv6Blocked = false } else { ipv4Blocked = false }
            }
            if entry.revents & Int16(POLLERR) != 0, socket.kind == .datagram {
                drainErrorQueue(of: socket)
            }
            if entry.revents & Int16(POLLIN) != 0 {
                drainReplies(of: socket)
            }
        }
    }

    private func drainReplies(of socket: ICMPSocket) {
        for _ in 0..<receiveBatch {
            guard let (length, source) = socket.receive(into: receiveBuffer) else { return }
            let receivedAt = MonotonicClock.now()
            let bytes = UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<length])
            switch ICMPPacket.decode(bytes, isIPv6: socket.isIPv6, hasIPHeader: socket.hasIPHeader) {
            case .echoReply(let key):
                guard let source else { continue }
                handleReply(key, from: source, at: receivedAt, on: socket)
            case .error(let key, let destination):
                guard key.identifier == socket.identifier else { continue }
                handleError(key, destination: destination)
            case nil:
                continue
            }
        }
    }

    private func drainErrorQueue(of socket: ICMPSocket) {
        for _ in 0..<receiveBatch {
            guard let (length, destination, isICMP) = socket.receiveError(into: receiveBuffer) else { return }
            // The error queue returns the echo request we sent, addressed to its destination.
            guard isICMP, let destination, length >= 8 else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<length])
            handleError(ICMPPacket.probeKey(bytes, at: 0), destination: destination)
        }
    }

    private func handleReply(
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
            guard rounds[Int(probe.round)]?.request.target.address == source else {
                counters.wrongSource += 1
                return
            }
            probes.settle(key.sequence, as: .answered)
            counters.received += 1
            let rtt = Double(receivedAt - probe.sentAt) / 1_000_000
            rounds[Int(probe.round)]?.statistics.add(rtt)
            rounds[Int(probe.round)]?.outstanding -= 1
            finishIfComplete(probe.round)
        case .answered:
            counters.duplicates += 1
        case .timedOut, .failed, .unused:
            counters.late += 1
        }
    }

    private func handleError(_ key: ICMPPacket.ProbeKey, destination: ICMPAddress) {
        if let keyCookie = key.cookie, keyCookie != cookie { return }
        let probe = probes[key.sequence]
        guard probe.state == .inFlight, key.token.map({ $0 == probe.token }) ?? true,
            rounds[Int(probe.round)]?.request.target.address == destination
        else { return }
        probes.settle(key.sequence, as: .failed)
        counters.unreachable += 1
        countersChanged = true
        rounds[Int(probe.round)]?.outstanding -= 1
        finishIfComplete(probe.round)
    }
}
