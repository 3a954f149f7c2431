import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostProbes

/// The neighbour table as the kernel lists it, read from a network namespace of the test's own.
@Suite("Neighbour table from /proc", .tags(.root, .netns), .needsNetworkNamespaces)
struct NeighbourTableTests {
    /// After a sweep of a /24 the kernel lists about 250 neighbours, 20 KB of text. A read
    /// that stopped after the first page (as `String(contentsOfFile:)` does on proc files)
    /// kept about 50 of them, and the MAC of a live host listed later was lost.
    @Test func readsATableLongerThanAPage() async throws {
        let namespace = try NetworkNamespace()
        defer { namespace.close() }
        let hosts = 3...254
        let batch = hosts.map { host in
            "neigh add \(namespace.linkPrefix).\(host) lladdr 02:00:00:00:00:\(String(format: "%02x", host)) nud permanent dev \(namespace.innerInterface)"
        }.joined(separator: "\n")
        let batchFile = NSTemporaryDirectory() + "outpost-neighbours-\(UUID().uuidString)"
        try batch.write(toFile: batchFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: batchFile) }
        try namespace.inside(["-batch", batchFile])

        // thread-self: /proc/net follows the main thread's namespace, not this thread's.
        let (table, bytes) = try await namespace.run {
            let path = "/proc/thread-self/net/arp"
            return (
                NeighbourTable.current(path: path),
                try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readToEnd()?.count ?? 0
            )
        }
        #expect(bytes > 16_384, "the listing spans several pages")
        #expect(table.macAddresses.count == hosts.count)
        #expect(table.macAddress(of: "\(namespace.linkPrefix).254") == "02:00:00:00:00:fe")
    }
}
