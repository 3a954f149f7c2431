import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The trace engine's I/O thread: sends the probes of all traces under the global rate limit,
/// matches answers to probes, and times out the unanswered ones on a timer wheel.
///
/// Not `Sendable`: created and used only on its own thread; it talks to the rest through ``TraceInbox``.
final class TraceLoop {
    private struct Timeout {
        var slot: UInt16
        var token: UInt32
    }

    private let inbox: TraceInbox
    private let ipv4: TraceSockets?
    private let ipv6: TraceSockets?
    private let cookie: UInt64
    private var wheel: TimerWheel<Timeout>
    /// Timeouts taken off the wheel by its last advance.
    private var expired: [Timeout] = []
    private var limiter: SendRateLimiter
    private var probes = TraceProbeTable()
    private var traces: [TraceState?] = []
    private var freeTraces: [Int32] = []
    private var nextToken: UInt32 = 0
    private let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: 128, alignment: 8)
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    private let receiveBatch = 1024

    init(inbox: TraceInbox, ipv4: TraceSockets?, ipv6: TraceSockets?, cookie: UInt64, maxPacketsPerSecond: Int) {
        let now = MonotonicClock.now()
        self.inbox = inbox
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.cookie = cookie
        wheel = TimerWheel(now: now)
        limiter = SendRateLimiter(packetsPerSecond: maxPacketsPerSecond, now: now)
    }

    deinit {
        packet.deallocate()
        receiveBuffer.deallocate()
    }

    /// Runs until the inbox asks to stop; then completes every open trace as cancelled,
    /// closes the sockets and releases whoever awaits the stop.
    func run() {
        while let commands = inbox.take() {
            for command in commands { handle(command) }
            wheel.advance(to: MonotonicClock.now(), into: &expired)
            for timeout in expired { fire(timeout) }
            expired.removeAll(keepingCapacity: true)
            sendDue()
            waitForEvents()
        }
        for case .start(let request) in inbox.takeRemaining() {
            var state = TraceState(request: request)
            state.isCancelled = true
            request.completion(state.result())
        }
        for index in traces.indices {
            guard var state = traces[index] else { continue }
            state.isCancelled = true
            state.request.completion(state.result())
        }
        for fd in (ipv4?.all ?? []) + (ipv6?.all ?? []) { close(fd) }
        inbox.markStopped()
    }

    private func identity(_ sockets: TraceSockets) -> TracePacket.Identity {
        TracePacket.Identity(
            identifier: sockets.icmp.identifier, cookie: cookie, udpPort: sockets.udpPort, tcpPort: sockets.tcpPort)
    }

    // MARK: Traces

    private func handle(_ command: TraceCommand) {
        switch command {
        case .start(let request):
            var state = TraceState(request: request)
            let sockets = request.target.isIPv6 ? ipv6 : ipv4
            if request.configuration.probeProtocol == .tcp, let sockets {
                state.ipv4Source = sockets.ipv4Source(towards: request.target)
            }
            let index: Int32
            if let free = freeTraces.popLast() {
                index = free
                traces[Int(index)] = state
            } else {
                index = Int32(traces.count)
                traces.append(state)
            }
            finishIfComplete(index)
        case .cancel(let serial):
            guard let index = traces.firstIndex(where: { $0?.request.serial == serial }) else { return }
            traces[index]?.isCancelled = true
            traces[index]?.outstanding = 0
            finishIfComplete(Int32(index))
        }
    }

    private func finishIfComplete(_ index: Int32) {
        guard let state = traces[Int(index)], state.isComplete else { return }
        traces[Int(index)] = nil
        freeTraces.append(index)
        state.request.completion(state.result())
    }

    private func fire(_ timeout: Timeout) {
        guard let probe = probes[timeout.slot], probe.token == timeout.token else { return }
        probes.release(timeout.slot)
        guard traces[Int(probe.trace)]?.request.serial == probe.serial else { return }
        traces[Int(probe.trace)]?.record(ttl: Int(probe.ttl), probe: Int(probe.index), .silent)
        finishIfComplete(probe.trace)
    }

    // MARK: Sending

    private func sendDue() {
        var progressed = true
        // Round-robin over the traces, one probe each per pass, so one long trace does not starve others.
        while progressed {
            progressed = false
            for index in traces.indices {
                guard let state = traces[index], state.canSend else { continue }
                guard probes.hasFreeSlot, limiter.tryAcquire(now: MonotonicClock.now()) else { return }
                sendNext(Int32(index))
                progressed = true
            }
        }
    }

    private func sendNext(_ index: Int32) {
        guard let state = traces[Int(index)], let sockets = state.request.target.isIPv6 ? ipv6 : ipv4 else {
            traces[Int(index)]?.markRefused()
            finishIfComplete(index)
            return
        }
        let configuration = state.request.configuration
        nextToken &+= 1
        let token = nextToken
        let slot = probes.launch(
            .init(
                trace: index, serial: state.request.serial, ttl: UInt8(state.nextTTL), index: UInt8(state.nextProbe),
                token: token, sentAt: 0, probeProtocol: configuration.probeProtocol))
        let target = state.request.target
        let fd: Int32
        let port: UInt16
        let length: Int
        switch configuration.probeProtocol {
        case .icmp:
            ICMPPacket.encodeEchoRequest(
                into: UnsafeMutableRawBufferPointer(rebasing: packet[0..<ICMPPacket.requestLength]),
                isIPv6: sockets.isIPv6, identifier: sockets.icmp.identifier, sequence: slot, cookie: cookie,
                token: token)
            (fd, port, length) = (sockets.icmp.fd, 0, ICMPPacket.requestLength)
        case .udp:
            TracePacket.encodeUDPPayload(
                into: UnsafeMutableRawBufferPointer(rebasing: packet[0..<TracePacket.udpPayloadLength]),
                cookie: cookie, token: token)
            (fd, port, length) = (sockets.udp, TracePacket.udpBasePort + slot, TracePacket.udpPayloadLength)
        case .tcp:
            guard let tcp = sockets.tcp, sockets.isIPv6 || state.ipv4Source != nil else {
                probes.release(slot)
                traces[Int(index)]?.markRefused()
                finishIfComplete(index)
                return
            }
            let destination: UInt32? =
                if case .v4(let raw) = target { raw } else { nil }
            TracePacket.encodeTCPSyn(
                into: UnsafeMutableRawBufferPointer(rebasing: packet[0..<TracePacket.tcpLength]),
                sourcePort: sockets.tcpPort, destinationPort: configuration.port,
                sequence: TracePacket.tcpSequence(slot: slot, token: token), ipv4Source: state.ipv4Source,
                ipv4Destination: destination)
            (fd, port, length) = (tcp, 0, TracePacket.tcpLength)
        }
        sockets.setHopLimit(fd, state.nextTTL)
        let sentAt = MonotonicClock.now()
        let sent = sockets.send(
            UnsafeRawBufferPointer(rebasing: packet[0..<length]), on: fd, to: target, port: port)
        guard sent == true else {
            // A full buffer or a refusal: the probe counts as unanswered (it is not retried,
            // so a trace never stalls on one socket).
            probes.release(slot)
            traces[Int(index)]?.markRefused()
            finishIfComplete(index)
            return
        }
        probes.setSentAt(slot, sentAt)
        traces[Int(index)]?.markSent()
        wheel.schedule(Timeout(slot: slot, token: token), at: sentAt + configuration.probeTimeout.nanoseconds)
    }

    // MARK: Receiving

    private func waitForEvents() {
        var fds = [pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0)]
        for sockets in [ipv4, ipv6].compactMap({ $0 }) {
            fds.append(pollfd(fd: sockets.icmp.fd, events: Int16(POLLIN), revents: 0))
            if let tcp = sockets.tcp { fds.append(pollfd(fd: tcp, events: Int16(POLLIN), revents: 0)) }
        }
        var wakeAt = wheel.nextDeadlineHint
        if traces.contains(where: { $0?.canSend ?? false }), probes.hasFreeSlot {
            let tokenTime = limiter.nextTokenTime()
            wakeAt = min(wakeAt ?? tokenTime, tokenTime)
        }
        var timeoutMilliseconds: Int32 = -1
        if let wakeAt {
            let now = MonotonicClock.now()
            let delay = wakeAt > now ? (wakeAt - now + 999_999) / 1_000_000 : 0
            timeoutMilliseconds = Int32(min(delay, 60_000))
        }
        guard poll(&fds, nfds_t(fds.count), timeoutMilliseconds) > 0 else { return }
        for entry in fds.dropFirst() where entry.revents & Int16(POLLIN) != 0 {
            for sockets in [ipv4, ipv6].compactMap({ $0 }) {
                if entry.fd == sockets.icmp.fd { drain(entry.fd, sockets, isTCP: false) }
                if entry.fd == sockets.tcp { drain(entry.fd, sockets, isTCP: true) }
            }
        }
    }

    private func drain(_ fd: Int32, _ sockets: TraceSockets, isTCP: Bool) {
        let hasIPHeader = !sockets.isIPv6
        let identity = identity(sockets)
        for _ in 0..<receiveBatch {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, receiveBuffer.baseAddress, receiveBuffer.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
            guard count >= 0 else { return }
            let receivedAt = MonotonicClock.now()
            guard let source = ICMPAddress(socketAddress: storage) else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count])
            let answer =
                isTCP
                ? TracePacket.decodeTCP(bytes, hasIPHeader: hasIPHeader, identity: identity)
                : TracePacket.decodeICMP(bytes, isIPv6: sockets.isIPv6, hasIPHeader: hasIPHeader, identity: identity)
            if let answer { handle(answer, from: source, at: receivedAt) }
        }
    }

    private func handle(_ answer: TracePacket.Answer, from source: ICMPAddress, at receivedAt: UInt64) {
        let match = answer.match
        guard let probe = probes[match.slot], probe.probeProtocol == match.probeProtocol,
            match.token.map({ $0 == probe.token & match.tokenMask }) ?? true,
            let state = traces[Int(probe.trace)], state.request.serial == probe.serial
        else { return }
        // Errors quote the probe's destination; echo replies and TCP answers come from it.
        guard (match.destination ?? source) == state.request.target else { return }
        probes.release(match.slot)
        traces[Int(probe.trace)]?.record(
            ttl: Int(probe.ttl), probe: Int(probe.index),
            .answered(
                responder: source, rttNanoseconds: receivedAt - min(receivedAt, probe.sentAt), reply: answer.reply,
                mpls: answer.mplsLabels))
        finishIfComplete(probe.trace)
    }
}
