import Foundation
import Synchronization

@testable import OutpostProbes

#if canImport(Glibc)
    import Glibc
    import OutpostTestSupport
#endif

/// What happens to echo requests sent to one address behind a ``TunEchoResponder``.
///
/// This replaces `tc netem`, which this kernel lacks (CONFIG_NET_SCH_NETEM is not set):
/// the same impairments, applied by the test itself, with a ledger of exactly what it did.
struct Impairment: Sendable {
    /// Base one-way delay added before the reply is written.
    var delay: Duration = .zero
    /// The delay varies uniformly within ± this (netem's `delay 50ms 5ms`).
    var jitter: Duration = .zero
    /// Probability in percent that a request gets no reply.
    var lossPercent: Double = 0
    /// Probability in percent that a reply is written twice.
    var duplicatePercent: Double = 0
    /// When non-zero, replies come from the address this much above the probed one.
    var sourceOffset: UInt8 = 0
}

/// What a ``TunEchoResponder`` did: the ground truth the engine's results are checked against.
struct ResponderLedger: Sendable {
    /// Echo requests read from the device.
    var requests = 0
    /// Requests left unanswered (loss).
    var dropped = 0
    /// Requests answered twice.
    var duplicated = 0
    /// The delay chosen for each answered request, in milliseconds.
    var delaysMilliseconds: [Double] = []
}

/// Answers IPv4 echo requests routed to a TUN device, after the ``Impairment`` its address has.
///
/// The device is created in the root namespace and can then be moved into a test namespace;
/// the file descriptor keeps working there.
final class TunEchoResponder: Sendable {
    let interfaceName: String
    private let tunFD: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let ledgerState = Mutex(ResponderLedger())
    private let exitWaiter = Mutex<CheckedContinuation<Void, Never>?>(nil)

    /// Opens TUN device `interfaceName` and starts answering; `impairment` maps the last
    /// octet of a probed address to what happens to requests for it.
    init(interfaceName: String, impairment: @escaping @Sendable (UInt8) -> Impairment) throws {
        self.interfaceName = interfaceName
        let fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw TestEnvironmentError("cannot open /dev/net/tun: errno \(errno)") }
        // struct ifreq: 16-byte name, then short flags (IFF_TUN | IFF_NO_PI).
        var request = [UInt8](repeating: 0, count: 40)
        for (index, byte) in interfaceName.utf8.prefix(15).enumerated() { request[index] = byte }
        request[16] = 0x01
        request[17] = 0x10
        let status = request.withUnsafeMutableBytes { ioctl(fd, 0x4004_54CA, $0.baseAddress!) }
        guard status == 0 else {
            Glibc.close(fd)
            throw TestEnvironmentError("TUNSETIFF \(interfaceName) failed: errno \(errno)")
        }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            Glibc.close(fd)
            throw TestEnvironmentError("pipe failed: errno \(errno)")
        }
        tunFD = fd
        stopPipe = (fds[0], fds[1])
        let loop = ResponderLoop(tunFD: fd, stopFD: fds[0], impairment: impairment)
        Thread { [self] in
            loop.run { ledger in self.ledgerState.withLock { update in ledger(&update) } }
            self.exitWaiter.withLock { $0.take() }?.resume()
        }.start()
    }

    /// Returns what the responder did since the last call and starts a new ledger.
    func takeLedger() -> ResponderLedger {
        ledgerState.withLock { ledger in
            defer { ledger = ResponderLedger() }
            return ledger
        }
    }

    /// Stops answering and removes the device.
    func stop() async {
        await withCheckedContinuation { continuation in
            exitWaiter.withLock { $0 = continuation }
            var byte: UInt8 = 1
            _ = write(stopPipe.write, &byte, 1)
        }
        Glibc.close(tunFD)
        Glibc.close(stopPipe.read)
        Glibc.close(stopPipe.write)
    }
}

/// The responder's thread: reads requests, keeps replies until their time, writes them.
private struct ResponderLoop: Sendable {
    let tunFD: Int32
    let stopFD: Int32
    let impairment: @Sendable (UInt8) -> Impairment

    private struct PendingReply {
        var due: UInt64
        var bytes: [UInt8]
    }

    func run(recording record: ((inout ResponderLedger) -> Void) -> Void) {
        var pending: [PendingReply] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        var generator = SystemRandomNumberGenerator()
        while true {
            let now = MonotonicClock.now()
            while let first = pending.first, first.due <= now {
                _ = first.bytes.withUnsafeBytes { write(tunFD, $0.baseAddress, $0.count) }
                pending.removeFirst()
            }
            var fds = [
                pollfd(fd: tunFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0),
            ]
            let timeout =
                pending.first.map { Int32(min(($0.due - min($0.due, now) + 999_999) / 1_000_000, 1_000)) } ?? -1
            _ = poll(&fds, 2, timeout)
            if fds[1].revents != 0 { return }
            while true {
                let count = buffer.withUnsafeMutableBytes { read(tunFD, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                guard let (reply, destinationOctet) = Self.echoReply(to: Array(buffer[0..<count])) else { continue }
                let rule = impairment(destinationOctet)
                let received = MonotonicClock.now()
                if Double.random(in: 0..<100, using: &generator) < rule.lossPercent {
                    record {
                        $0.requests += 1
                        $0.dropped += 1
                    }
                    continue
                }
                let jitter = rule.jitter.nanoseconds
                let delay =
                    rule.delay.nanoseconds - jitter
                    + (jitter > 0 ? UInt64.random(in: 0...(2 * jitter), using: &generator) : 0)
                var replyBytes = reply
                if rule.sourceOffset != 0 { Self.setSource(&replyBytes, offset: rule.sourceOffset) }
                let duplicate = Double.random(in: 0..<100, using: &generator) < rule.duplicatePercent
                for _ in 0..<(duplicate ? 2 : 1) {
                    let entry = PendingReply(due: received + delay, bytes: replyBytes)
                    let index = pending.firstIndex { $0.due > entry.due } ?? pending.endIndex
                    pending.insert(entry, at: index)
                }
                record {
                    $0.requests += 1
                    if duplicate { $0.duplicated += 1 }
                    $0.delaysMilliseconds.append(Double(delay) / 1e6)
                }
            }
        }
    }

    /// The echo reply to an IPv4 echo request, and the last octet of the probed address.
    static func echoReply(to packet: [UInt8]) -> ([UInt8], UInt8)? {
        guard packet.count >= 28, packet[0] >> 4 == 4, packet[9] == 1 else { return nil }
        let headerLength = Int(packet[0] & 0x0F) * 4
        guard packet.count >= headerLength + 8, packet[headerLength] == 8 else { return nil }
        var reply = packet
        for offset in 0..<4 { reply.swapAt(12 + offset, 16 + offset) }
        reply[8] = 64
        reply[headerLength] = 0
        setChecksums(&reply)
        return (reply, packet[19])
    }

    /// Replaces the reply's source with the address `offset` above it.
    static func setSource(_ packet: inout [UInt8], offset: UInt8) {
        packet[15] = packet[15] &+ offset
        setChecksums(&packet)
    }

    private static func setChecksums(_ packet: inout [UInt8]) {
        let headerLength = Int(packet[0] & 0x0F) * 4
        packet[10] = 0
        packet[11] = 0
        let ipSum = packet.withUnsafeBytes {
            ICMPPacket.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<headerLength]))
        }
        packet[10] = UInt8(ipSum >> 8)
        packet[11] = UInt8(ipSum & 0xFF)
        packet[headerLength + 2] = 0
        packet[headerLength + 3] = 0
        let icmpSum = packet.withUnsafeBytes {
            ICMPPacket.checksum(UnsafeRawBufferPointer(rebasing: $0[headerLength...]))
        }
        packet[headerLength + 2] = UInt8(icmpSum >> 8)
        packet[headerLength + 3] = UInt8(icmpSum & 0xFF)
    }
}

/// A namespace with a TUN device answered by a ``TunEchoResponder``: the /24 `targetPrefix`
/// is routed root namespace → veth → namespace → TUN → responder, and back.
final class ImpairedLink: Sendable {
    let namespace: NetworkNamespace
    let responder: TunEchoResponder
    let targetPrefix: String

    init(impairment: @escaping @Sendable (UInt8) -> Impairment) throws {
        namespace = try NetworkNamespace()
        targetPrefix = TestNetwork.uniquePrefix()
        do {
            responder = try TunEchoResponder(interfaceName: "opt\(TestNetwork.uniqueTag())", impairment: impairment)
        } catch {
            namespace.close()
            throw error
        }
        do {
            try BlockingCommand.run("ip", ["link", "set", responder.interfaceName, "netns", namespace.name])
            try namespace.inside(["link", "set", responder.interfaceName, "up"])
            try namespace.inside(["route", "add", "\(targetPrefix).0/24", "dev", responder.interfaceName])
            try namespace.routeIntoNamespace("\(targetPrefix).0/24")
        } catch {
            namespace.close()
            throw error
        }
    }

    /// Runs `body` with a new link answered with `impairment`; the link is closed afterwards, also
    /// when `body` throws.
    static func with(
        impairment: @escaping @Sendable (UInt8) -> Impairment, _ body: (ImpairedLink) async throws -> Void
    ) async throws {
        let link = try ImpairedLink(impairment: impairment)
        do {
            try await body(link)
        } catch {
            await link.close()
            throw error
        }
        await link.close()
    }

    /// The address `.host` in the answered /24.
    func address(_ host: Int) -> String { "\(targetPrefix).\(host)" }

    /// Stops the responder and deletes the namespace.
    func close() async {
        await responder.stop()
        namespace.close()
    }
}
