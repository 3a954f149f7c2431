import Foundation
import OutpostProbes
import Testing

/// Reverse DNS of hop addresses, offline: the loopback address has its name in /etc/hosts.
struct ReverseDNSTests {
    @Test("127.0.0.1 resolves to localhost; an address without a name is left out")
    func loopbackResolves() async {
        let names = await ReverseDNS.names(of: ["127.0.0.1", "127.0.0.1", "not an address"], deadline: .seconds(5))
        #expect(names["127.0.0.1"] == "localhost")
        #expect(names["not an address"] == nil)
    }
}
