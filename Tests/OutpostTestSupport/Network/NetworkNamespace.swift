import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Unique names and address blocks for tests running in parallel, also across processes.
public enum TestNetwork {
    private static let counter = Atomic<Int>(0)

    /// A number unique in this process, mixed with the process id for names.
    public static func nextIndex() -> Int { counter.add(1, ordering: .relaxed).newValue }

    /// A short unique tag (interface names are limited to 15 characters).
    public static func uniqueTag() -> String {
        "\(getpid() % 100_000)x\(nextIndex())"
    }

    /// A /24 in 198.18.0.0/15 (RFC 2544 benchmarking space) unique to this process and call: "198.1x.y".
    public static func uniquePrefix() -> String {
        let index = (Int(getpid()) &* 31 &+ nextIndex() &* 7) % 512
        return "198.\(18 + index / 256).\(index % 256)"
    }
}

/// A network namespace joined to its parent (the root namespace or another test namespace)
/// by a veth pair. Deleted by ``close()``, which tests call on every path.
///
/// Parent side `<linkPrefix>.1`, namespace side `<linkPrefix>.2`, on the /24 `linkPrefix`.
public final class NetworkNamespace: Sendable {
    public let name: String
    public let rootInterface: String
    public let innerInterface: String
    public let linkPrefix: String
    /// `ip` arguments selecting the parent namespace.
    private let parentSelector: [String]

    /// Creates the namespace, the veth pair and the link addresses, with forwarding on inside
    /// and ICMP error rate limits off.
    public init(parent: NetworkNamespace? = nil) throws {
        parentSelector = parent.map { ["-n", $0.name] } ?? []
        let tag = TestNetwork.uniqueTag()
        name = "opicmp-\(tag)"
        rootInterface = "opr\(tag)"
        innerInterface = "opn\(tag)"
        linkPrefix = TestNetwork.uniquePrefix()
        try BlockingCommand.run("ip", ["netns", "add", name])
        do {
            try outside(["link", "add", rootInterface, "type", "veth", "peer", "name", innerInterface])
            try outside(["link", "set", innerInterface, "netns", name])
            try outside(["addr", "add", "\(linkPrefix).1/24", "dev", rootInterface])
            try outside(["link", "set", rootInterface, "up"])
            try inside(["addr", "add", "\(linkPrefix).2/24", "dev", innerInterface])
            try inside(["link", "set", innerInterface, "up"])
            try inside(["link", "set", "lo", "up"])
            for setting in [
                "net.ipv4.ip_forward=1", "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=100000",
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
            ] {
                try sysctl(setting)
            }
        } catch {
            close()
            throw error
        }
    }

    /// Runs `ip <arguments>` inside the namespace.
    public func inside(_ arguments: [String]) throws {
        try BlockingCommand.run("ip", ["-n", name] + arguments)
    }

    /// Runs `ip <arguments>` in the parent namespace.
    public func outside(_ arguments: [String]) throws {
        try BlockingCommand.run("ip", parentSelector + arguments)
    }

    /// `ip netns exec NAME`: a prefix that runs the program after it inside the namespace. The
    /// program must be named by its absolute path (`Harness.path(of:)`): `ip netns exec`
    /// searches the caller's PATH, which may lack /usr/sbin.
    public func launcher() throws -> [String] {
        [try Harness.path(of: "ip"), "netns", "exec", name]
    }

    /// Runs `sysctl -w setting` inside the namespace.
    public func sysctl(_ setting: String) throws {
        let command = try launcher() + [try Harness.path(of: "sysctl"), "-qw", setting]
        try BlockingCommand.run(command[0], Array(command.dropFirst()))
    }

    /// Routes `prefix` (e.g. "198.19.7.0/24") from the parent namespace into this one.
    public func routeIntoNamespace(_ prefix: String) throws {
        try outside(["route", "add", prefix, "via", "\(linkPrefix).2"])
    }

    /// Deletes the namespace; the veth pair and routes through it go with it.
    public func close() {
        _ = try? BlockingCommand.run("ip", ["netns", "delete", name], allowFailure: true)
        _ = try? BlockingCommand.run("ip", parentSelector + ["link", "delete", rootInterface], allowFailure: true)
    }

    /// Runs `body` on a fresh thread that joined this namespace: sockets it opens live here.
    public func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        let namespacePath = "/var/run/netns/\(name)"
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let target = open(namespacePath, O_RDONLY | O_CLOEXEC)
                guard target >= 0, joinNetworkNamespace(target) == 0 else {
                    continuation.resume(
                        throwing: TestEnvironmentError("cannot join namespace \(namespacePath): errno \(errno)"))
                    return
                }
                Glibc.close(target)
                // The thread ends after this; its namespace does not leak to other threads.
                continuation.resume(with: Swift.Result { try body() })
            }
            thread.start()
        }
    }
}

/// `setns(fd, CLONE_NEWNET)`: glibc declares `setns` only under `_GNU_SOURCE`, which Swift's Glibc
/// module does not see, so it is looked up at run time.
private func joinNetworkNamespace(_ fd: Int32) -> Int32 {
    typealias SetNS = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else { return -1 }
    let cloneNewNet: Int32 = 0x4000_0000
    return unsafeBitCast(symbol, to: SetNS.self)(fd, cloneNewNet)
}
