import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
    import OutpostTestSupport
#endif

/// A silent SNMP "agent" for every loopback address: one UDP socket on `0.0.0.0:port` that
/// counts the datagrams it receives and never answers, so a test can see requests on the wire.
final class UDPRequestCounter: Sendable {
    let port: UInt16
    private let fd: Int32
    private let received = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let stopped = Mutex<CheckedContinuation<Void, Never>?>(nil)

    /// Datagrams received so far.
    var count: Int { received.load(ordering: .relaxed) }

    /// Binds a free port and starts counting on a thread of its own.
    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestEnvironmentError("bind failed")
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in receiveUntilStopped() }.start()
    }

    private func receiveUntilStopped() {
        var buffer = [UInt8](repeating: 0, count: 2_048)
        while !stopping.load(ordering: .relaxed) {
            if recv(fd, &buffer, buffer.count, 0) > 0 { received.add(1, ordering: .relaxed) }
        }
        close(fd)
        stopped.withLock { $0?.resume() }
    }

    /// Stops the thread and closes the socket.
    func stop() async {
        await withCheckedContinuation { continuation in
            stopped.withLock { $0 = continuation }
            stopping.store(true, ordering: .relaxed)
        }
    }
}
