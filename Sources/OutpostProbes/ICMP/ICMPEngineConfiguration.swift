/// Settings of one ``ICMPEngine``: how it opens its sockets and how fast it may send.
public struct ICMPEngineConfiguration: Sendable, Hashable {
    /// Which kind of ICMP socket the engine opens.
    public enum SocketMode: Sendable, Hashable {
        /// Unprivileged datagram sockets where `net.ipv4.ping_group_range` admits the process's
        /// group, raw sockets (`CAP_NET_RAW`) otherwise. Datagram sockets cost the kernel less per
        /// probe (it hands each socket only its own replies, where every raw ICMP socket of the
        /// host gets a copy of every ICMP message) and need no privilege.
        case automatic
        /// Raw sockets only; fail when they are refused.
        case raw
        /// Unprivileged datagram ICMP sockets only (needs `net.ipv4.ping_group_range`).
        case datagram
    }

    /// Which kind of ICMP socket to open (default ``SocketMode/automatic``).
    public var socketMode: SocketMode
    /// Global limit on echo requests per second over all targets and both address families,
    /// 1...1,000,000 (default 2,000: 10,000 devices at 3 packets per 10 s need 3,000; a branch
    /// agent with a few hundred devices stays far below, and 2,000 × 84 bytes on the wire is
    /// about 1.3 Mbit/s, harmless on a branch link). The agent changes it at run time to what its
    /// configuration needs (``ICMPEngine/setMaxPacketsPerSecond(_:)``).
    public var maxPacketsPerSecond: Int
    /// Requested receive buffer of each socket in bytes, 64 KiB...64 MiB (default 4 MiB:
    /// with the kernel default, bursts of replies overflow it and count as loss).
    public var receiveBufferBytes: Int

    /// The accepted range of ``maxPacketsPerSecond``.
    public static let maxPacketsPerSecondRange = 1...1_000_000
    /// The accepted range of ``receiveBufferBytes``.
    public static let receiveBufferBytesRange = 65_536...67_108_864

    /// Creates a configuration; values are validated when the engine starts.
    public init(
        socketMode: SocketMode = .automatic, maxPacketsPerSecond: Int = 2_000, receiveBufferBytes: Int = 4 << 20
    ) {
        self.socketMode = socketMode
        self.maxPacketsPerSecond = maxPacketsPerSecond
        self.receiveBufferBytes = receiveBufferBytes
    }
}
