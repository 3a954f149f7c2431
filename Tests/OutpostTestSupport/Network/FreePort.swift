import Foundation

/// Loopback ports for a test's peer to bind next.
///
/// A port comes from below the kernel's ephemeral range (`net.ipv4.ip_local_port_range`), so
/// no outgoing connection of any process can take it before the peer binds it; it bound a
/// moment ago, so nothing listens on it; and it is claimed by creating a directory named after
/// it in a folder the scripts' `free_port` shares, so no other test or script is handed it
/// within the hour.
public enum FreePort {
    /// A TCP port on 127.0.0.1.
    public static func tcp() throws -> Int {
        try claimed(type: Int32(SOCK_STREAM.rawValue))
    }

    /// A UDP port on 127.0.0.1.
    public static func udp() throws -> UInt16 {
        UInt16(try claimed(type: Int32(SOCK_DGRAM.rawValue)))
    }

    private static let lowest = 10_000
    private static let claimLifetime: TimeInterval = 3_600

    private static func claimed(type: Int32) throws -> Int {
        let ceiling = try ephemeralRangeStart()
        guard ceiling > lowest + 1_000 else {
            throw TestEnvironmentError("the ephemeral port range starts at \(ceiling): no room below it for test ports")
        }
        let claims = claimsDirectory()
        for _ in 0..<200 {
            let port = Int.random(in: lowest..<ceiling)
            guard bindable(port: port, type: type), mkdir("\(claims)/\(port)", 0o755) == 0 else { continue }
            return port
        }
        throw TestEnvironmentError("no free loopback port below \(ceiling)")
    }

    private static func ephemeralRangeStart() throws -> Int {
        let range = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        guard let low = range.split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }) else {
            throw TestEnvironmentError("cannot read net.ipv4.ip_local_port_range: \(range)")
        }
        return low
    }

    /// The shared claims folder, with claims older than an hour removed.
    private static func claimsDirectory() -> String {
        let claims = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/outpost-port-claims"
        let files = FileManager.default
        if !files.fileExists(atPath: claims) {
            // Sticky and writable by all, as /tmp: scripts and tests may run as different users.
            mkdir(claims, 0o755)
            chmod(claims, 0o1777)
        }
        let stale = Date().addingTimeInterval(-claimLifetime)
        for name in (try? files.contentsOfDirectory(atPath: claims)) ?? [] {
            let path = "\(claims)/\(name)"
            if let made = try? files.attributesOfItem(atPath: path)[.modificationDate] as? Date, made < stale {
                rmdir(path)
            }
        }
        return claims
    }

    private static func bindable(port: Int, type: Int32) -> Bool {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
