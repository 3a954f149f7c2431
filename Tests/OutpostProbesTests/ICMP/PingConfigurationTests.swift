import OutpostProbes
import Testing

@Suite("Ping configuration bounds")
struct PingConfigurationTests {
    @Test func defaultsMatchTheIssue() throws {
        let configuration = try PingConfiguration()
        #expect(configuration.packetsPerRound == 3)
        #expect(configuration.roundInterval == .seconds(10))
        #expect(configuration.roundDuration == .seconds(3))
    }

    @Test func outOfRangeValuesAreRefused() {
        #expect(throws: PingConfigurationError.packetsPerRoundOutOfRange(0)) {
            try PingConfiguration(packetsPerRound: 0)
        }
        #expect(throws: PingConfigurationError.packetsPerRoundOutOfRange(101)) {
            try PingConfiguration(packetsPerRound: 101)
        }
        #expect(throws: PingConfigurationError.timeoutOutOfRange(.zero)) { try PingConfiguration(timeout: .zero) }
        #expect(throws: PingConfigurationError.self) { try PingConfiguration(packetInterval: .seconds(-1)) }
        #expect(throws: PingConfigurationError.self, "rounds of one device must not overlap") {
            try PingConfiguration(
                packetsPerRound: 10, packetInterval: .seconds(1), timeout: .seconds(2), roundInterval: .seconds(10))
        }
    }
}
