import Foundation
import Logging
import OutpostCore

#if canImport(Glibc)
    import Glibc
#endif

/// Pings many devices through one ICMP socket per address family.
///
/// One I/O thread sends the echo requests of all rounds interleaved, under a global send-rate
/// limit, and matches every reply to the probe that sent it by identifier, sequence number and
/// a per-engine cookie echoed in the data; each probe times out on a timer wheel. There is no
/// thread or process per target. Raw sockets see every ICMP message of the host, so each engine
/// uses its own random identifier and cookie and two engines never take each other's replies;
/// datagram sockets get only their own.
///
/// Call ``shutdown()`` when done; rounds still running then complete with what they have.
public final class ICMPEngine: Sendable {
    /// The kind of sockets the engine opened.
    public let socketKind: ICMPSocketKind
    private let inbox: ICMPInbox
    private let sendRate: SharedSendRate
    private let overruns = RoundOverruns()

    /// Opens the sockets and starts the I/O thread.
    ///
    /// With ``ICMPEngineConfiguration/SocketMode/automatic`` the engine opens datagram sockets
    /// where `net.ipv4.ping_group_range` admits the process, raw ones otherwise; ``socketKind``
    /// and the start-up log say which. IPv6 is optional: when its socket
    /// cannot be opened the engine logs it and IPv6 rounds count every request as a send failure.
    /// - Throws: ``ICMPEngineError`` when the configuration is out of range or no IPv4 socket can be opened.
    public init(configuration: ICMPEngineConfiguration = .init(), logger: Logger = Logger(label: "outpost.icmp"))
        throws(ICMPEngineError)
    {
        guard ICMPEngineConfiguration.maxPacketsPerSecondRange.contains(configuration.maxPacketsPerSecond) else {
            throw ICMPEngineError(
                description:
                    "maxPacketsPerSecond \(configuration.maxPacketsPerSecond) outside \(ICMPEngineConfiguration.maxPacketsPerSecondRange)",
                code: 0)
        }
        guard ICMPEngineConfiguration.receiveBufferBytesRange.contains(configuration.receiveBufferBytes) else {
            throw ICMPEngineError(
                description:
                    "receiveBufferBytes \(configuration.receiveBufferBytes) outside \(ICMPEngineConfiguration.receiveBufferBytesRange)",
                code: 0)
        }
        var generator = SystemRandomNumberGenerator()
        let identifier = UInt16.random(in: .min ... .max, using: &generator)
        let buffer = configuration.receiveBufferBytes
        let ipv4 = try Self.openIPv4(mode: configuration.socketMode, identifier: identifier, receiveBufferBytes: buffer)
        let ipv6: ICMPSocket?
        do {
            ipv6 = try ICMPSocket.open(
                kind: ipv4.kind, isIPv6: true, identifier: identifier, receiveBufferBytes: buffer)
        } catch {
            logger.warning("IPv6 ICMP unavailable; IPv6 targets will count as lost", metadata: ["reason": "\(error)"])
            ipv6 = nil
        }
        let inbox: ICMPInbox
        do {
            inbox = try ICMPInbox()
        } catch {
            close(ipv4.fd)
            if let ipv6 { close(ipv6.fd) }
            throw error
        }
        self.inbox = inbox
        socketKind = ipv4.kind
        let cookie = UInt64.random(in: .min ... .max, using: &generator)
        let rate = configuration.maxPacketsPerSecond
        let sendRate = SharedSendRate(packetsPerSecond: rate)
        self.sendRate = sendRate
        let overruns = overruns
        let thread = Thread {
            var loop = ICMPLoop(
                inbox: inbox, overruns: overruns, ipv4: ipv4, ipv6: ipv6, cookie: cookie, sendRate: sendRate)
            loop.run()
        }
        thread.name = "outpost-icmp"
        thread.start()
        logger.info(
            "ICMP engine started",
            metadata: [
                "sockets": "\(socketKind)", "ipv6": "\(ipv6 != nil)", "maxPacketsPerSecond": "\(rate)",
            ])
    }

    deinit {
        inbox.requestStop()
    }

    private static func openIPv4(mode: ICMPEngineConfiguration.SocketMode, identifier: UInt16, receiveBufferBytes: Int)
        throws(ICMPEngineError) -> ICMPSocket
    {
        func open(_ kind: ICMPSocketKind) throws(ICMPEngineError) -> ICMPSocket {
            try ICMPSocket.open(
                kind: kind, isIPv6: false, identifier: identifier, receiveBufferBytes: receiveBufferBytes)
        }
        switch mode {
        case .raw:
            return try open(.raw)
        case .datagram:
            return try open(.datagram)
        case .automatic:
            let refusal: ICMPEngineError
            do {
                return try open(.datagram)
            } catch {
                refusal = error
            }
            do {
                return try open(.raw)
            } catch {
                throw ICMPEngineError(
                    description:
                        "\(refusal.description); \(error.description); include the process's group in "
                        + "net.ipv4.ping_group_range or grant CAP_NET_RAW",
                    code: error.code)
            }
        }
    }

    /// Pings `target` for one round and returns its result.
    ///
    /// The round always ends within `configuration.roundDuration` plus the time the global
    /// send-rate limit makes its requests wait; it is not cut short by task cancellation.
    public func round(target: PingTarget, configuration: PingConfiguration) async -> PingRoundResult {
        // Unchecked: ``startRounds(_:completion:)`` calls the completion exactly once per round,
        // from the I/O thread or, when the engine is stopping, right away.
        await withUnsafeContinuation { continuation in
            startRounds(CollectionOfOne(PingDevice(target: target, configuration: configuration))) {
                continuation.resume(returning: $0)
            }
        }
    }

    /// Pings every target for one round with the same settings and returns their results in
    /// the order the rounds completed (each names its device and address).
    ///
    /// The rounds are handed to the I/O thread together and their results come back together:
    /// the calling task waits once for the batch, where a task per ``round(target:configuration:)``
    /// would cost a task and a resumption per target. Rounds end as in
    /// ``round(target:configuration:)``.
    public func rounds(targets: [PingTarget], configuration: PingConfiguration) async -> [PingRoundResult] {
        guard !targets.isEmpty else { return [] }
        return await withCheckedContinuation { waiter in
            let batch = RoundBatch(count: targets.count, waiter: waiter)
            startRounds(
                targets.lazy.map { PingDevice(target: $0, configuration: configuration) }, completion: batch.add)
        }
    }

    /// Starts a round for each device; `completion` runs once per round on the I/O thread and
    /// must not block. The rounds reach the I/O thread together, under one lock.
    func startRounds(
        _ devices: some Collection<PingDevice>, completion: @escaping @Sendable (PingRoundResult) -> Void
    ) {
        let postedAt = MonotonicClock.now()
        let requests = devices.map { device in
            RoundRequest(
                target: device.target, configuration: device.configuration,
                overrunDeadline: RoundOverruns.deadline(of: device.configuration, postedAt: postedAt),
                completion: completion)
        }
        guard !requests.isEmpty, !inbox.post(requests) else { return }
        let now = Date()
        for request in requests {
            completion(
                PingRoundResult(
                    deviceID: request.target.deviceID, deviceIP: request.target.addressText, timestamp: now,
                    packetsSent: 0, packetsReceived: 0))
        }
    }

    /// Totals since the engine started, as last published by the I/O thread.
    public var counters: ICMPCounters { inbox.counters }

    /// The global limit on echo requests per second now in force.
    public var maxPacketsPerSecond: Int { sendRate.packetsPerSecond }

    /// Changes the global limit on echo requests per second, clamped to
    /// ``ICMPEngineConfiguration/maxPacketsPerSecondRange``. Rounds already queued are sent at
    /// the new rate from the I/O thread's next send on (at most one request interval of the
    /// old rate later).
    public func setMaxPacketsPerSecond(_ packetsPerSecond: Int) {
        let range = ICMPEngineConfiguration.maxPacketsPerSecondRange
        sendRate.set(min(max(packetsPerSecond, range.lowerBound), range.upperBound))
    }

    /// Rounds since the engine started that completed more than a second after their own
    /// duration, counted from the moment they were started: they waited behind the send-rate
    /// limit. Zero while the limit keeps up with the rounds asked of the engine.
    public var roundsOverrun: Int { overruns.count }

    /// Stops the I/O thread and closes the sockets; open rounds complete with what they have.
    public func shutdown() async {
        await inbox.stop()
    }
}
