import Foundation

/// Loopback ports that were free a moment ago (bound to port 0, then released): a test's
/// peer binds them next.
public enum FreePort {
    /// A TCP port on 127.0.0.1.
    public static func tcp() throws -> Int {
        try ephemeral(type: Int32(SOCK_STREAM.rawValue))
    }

    /// A UDP port on 127.0.0.1.
    public static func udp() throws -> UInt16 {
        UInt16(try ephemeral(type: Int32(SOCK_DGRAM.rawValue)))
    }

    private static func ephemeral(type: Int32) throws -> Int {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestEnvironmentError("bind() to 127.0.0.1:0 failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
