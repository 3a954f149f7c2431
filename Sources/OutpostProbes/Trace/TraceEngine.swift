import Foundation
import Logging
import Synchronization

/// Traces paths to many targets at once, with no child process: ICMP echo, UDP or TCP SYN
/// probes with increasing TTL / hop limit, several hops in flight at once.
///
/// One I/O thread sends the probes of all traces under a global send-rate limit and matches
/// every answer to its probe by the slot and token it carries and by the destination the ICMP
/// error quotes. Like ``ICMPEngine`` (whose socket handling it reuses) it uses its own random
/// ICMP identifier and cookie, so traces, and the regular pings of a ping engine on the same
/// host, never take each other's replies. Needs raw sockets (`CAP_NET_RAW`).
///
/// Call ``shutdown()`` when done; traces still running then complete as cancelled.
public final class TraceEngine: Sendable {
    /// Settings of the engine.
    public struct Configuration: Sendable, Hashable {
        /// Global limit on probes per second over all traces, 1...100,000 (default 1,000).
        public var maxPacketsPerSecond: Int
        /// Whether TCP SYN probes are possible (opens a raw TCP socket, which sees every TCP segment of the host).
        public var enableTCP: Bool

        public init(maxPacketsPerSecond: Int = 1_000, enableTCP: Bool = true) {
            self.maxPacketsPerSecond = maxPacketsPerSecond
            self.enableTCP = enableTCP
        }
    }

    private let inbox: TraceInbox
    private let serials = Atomic<UInt64>(0)
    private let hasIPv6: Bool
    private let hasTCP: Bool

    /// Opens the sockets and starts the I/O thread. IPv6 is optional: without it IPv6 traces fail.
    /// - Throws: ``ICMPEngineError`` when no IPv4 socket can be opened (no `CAP_NET_RAW`).
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "outpost.trace"))
        throws(ICMPEngineError)
    {
        guard (1...100_000).contains(configuration.maxPacketsPerSecond) else {
            throw ICMPEngineError(
                description: "maxPacketsPerSecond \(configuration.maxPacketsPerSecond) outside 1...100000", code: 0)
        }
        var generator = SystemRandomNumberGenerator()
        let identifier = UInt16.random(in: .min ... .max, using: &generator)
        let buffer = 1 << 20
        let ipv4 = try TraceSockets.open(
            isIPv6: false, identifier: identifier, receiveBufferBytes: buffer, tcp: configuration.enableTCP)
        let ipv6: TraceSockets?
        do {
            ipv6 = try TraceSockets.open(
                isIPv6: true, identifier: identifier, receiveBufferBytes: buffer, tcp: configuration.enableTCP)
        } catch {
            logger.warning("IPv6 trace sockets unavailable; IPv6 traces will fail", metadata: ["reason": "\(error)"])
            ipv6 = nil
        }
        let inbox: TraceInbox
        do {
            inbox = try TraceInbox()
        } catch {
            for fd in ipv4.all + (ipv6?.all ?? []) { close(fd) }
            throw error
        }
        self.inbox = inbox
        hasIPv6 = ipv6 != nil
        hasTCP = configuration.enableTCP
        let cookie = UInt64.random(in: .min ... .max, using: &generator)
        let rate = configuration.maxPacketsPerSecond
        let thread = Thread {
            TraceLoop(inbox: inbox, ipv4: ipv4, ipv6: ipv6, cookie: cookie, maxPacketsPerSecond: rate).run()
        }
        thread.name = "outpost-trace"
        thread.start()
        logger.info("trace engine started", metadata: ["ipv6": "\(hasIPv6)", "maxPacketsPerSecond": "\(rate)"])
    }

    deinit {
        inbox.requestStop()
    }

    /// Traces the path to `target` (an IPv4 or IPv6 literal).
    ///
    /// Cancelling the calling task ends the trace at once with the hops known so far
    /// (``TraceResult/Ending/cancelled``).
    /// - Throws: ``TraceError`` when the target is not an address literal or the engine cannot
    ///   probe it (IPv6 without an IPv6 socket, TCP not enabled).
    public func trace(to target: String, configuration: TraceConfiguration) async throws(TraceError) -> TraceResult {
        guard let address = ICMPAddress(parsing: target) else { throw .invalidAddress(String(target.prefix(64))) }
        if address.isIPv6, !hasIPv6 { throw .unsupported("no IPv6 socket") }
        if configuration.probeProtocol == .tcp, !hasTCP { throw .unsupported("TCP probes are not enabled") }
        let serial = serials.add(1, ordering: .relaxed).newValue
        let inbox = inbox
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let request = TraceRequest(
                    serial: serial, target: address, configuration: configuration,
                    completion: { continuation.resume(returning: $0) })
                if !inbox.post(.start(request)) {
                    var state = TraceState(request: request)
                    state.isCancelled = true
                    continuation.resume(returning: state.result())
                }
            }
        } onCancel: {
            _ = inbox.post(.cancel(serial: serial))
        }
    }

    /// Stops the I/O thread and closes the sockets; open traces complete as cancelled.
    public func shutdown() async {
        await inbox.stop()
    }
}
