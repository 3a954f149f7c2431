import OutpostAgent
import Testing

@Suite struct CollectorAddressTests {
    @Test func parsesHostPortAndBracketedIPv6() {
        #expect(
            CollectorAddress(parsing: "collector.bank.example:8444")
                == CollectorAddress(host: "collector.bank.example", port: 8444))
        #expect(CollectorAddress(parsing: "[2001:db8::1]:8444") == CollectorAddress(host: "2001:db8::1", port: 8444))
        #expect(CollectorAddress(parsing: "[2001:db8::1]:8444")?.description == "[2001:db8::1]:8444")
        for bad in [
            "collector", "collector:0", "collector:70000", ":8444", "2001:db8::1:8444", "[::1]8444", "host:port",
        ] {
            #expect(CollectorAddress(parsing: bad) == nil, "\(bad)")
        }
    }
}
