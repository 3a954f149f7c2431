import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Reverse DNS of hop addresses under a deadline: each lookup runs `getnameinfo` on a thread of
/// its own (the resolver blocks), and whatever is known when the deadline passes is returned;
/// slower lookups finish unseen.
public enum ReverseDNS {
    /// The names of `addresses` found within `deadline` (at most 64 addresses are looked up).
    public static func names(of addresses: [String], deadline: Duration) async -> [String: String] {
        let found = Mutex<[String: String]>([:])
        let unique = Array(Set(addresses).prefix(64))
        let remaining = Atomic<Int>(unique.count)
        let (done, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        for address in unique {
            let thread = Thread {
                if let name = lookup(address) { found.withLock { $0[address] = name } }
                if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { signal.yield() }
            }
            thread.start()
        }
        if !unique.isEmpty {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in done { return } }
                group.addTask { try? await Task.sleep(for: deadline) }
                await group.next()
                group.cancelAll()
            }
        }
        signal.finish()
        return found.withLock { $0 }
    }

    private static func lookup(_ address: String) -> String? {
        guard let parsed = ICMPAddress(parsing: address) else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = parsed.withSocketAddress { socketAddress, length in
            getnameinfo(socketAddress, length, &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
        }
        guard status == 0 else { return nil }
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.utf8.count <= 253 ? name : nil
    }
}
