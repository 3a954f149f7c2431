import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Synchronization
import Testing

@testable import OutpostAgent

@Suite("ICMP send rate planned from the configuration, under the ceiling")
struct PingRatePlanTests {
    @Test func fiftyThousandDevicesFitUnderTheDefaultCeiling() {
        let plan = PingRatePlan(
            devices: 50_000, packetsPerRound: 3, roundInterval: .seconds(10),
            ceilingPacketsPerSecond: PingRatePlan.defaultCeilingPacketsPerSecond)
        #expect(plan.demandPacketsPerSecond == 15_000)
        #expect(plan.fits)
        // 1.5 × 15,000 = 22,500 is above the ceiling: the rate is the ceiling, the interval unchanged.
        #expect(plan.sendRatePacketsPerSecond == 20_000)
        #expect(plan.roundInterval == .seconds(10) && plan.devicesPinged == 50_000)
    }

    @Test func theRateIsTheDemandWithHeadroomAboveTheFloor() {
        let plan = PingRatePlan(
            devices: 10_000, packetsPerRound: 3, roundInterval: .seconds(5), ceilingPacketsPerSecond: 20_000)
        #expect(plan.demandPacketsPerSecond == 6_000)
        #expect(plan.sendRatePacketsPerSecond == 9_000)
        #expect(plan.roundInterval == .seconds(5))
    }

    @Test func aSmallBranchGetsTheFloorAndALowCeilingWinsOverIt() {
        let small = PingRatePlan(
            devices: 20, packetsPerRound: 3, roundInterval: .seconds(10), ceilingPacketsPerSecond: 20_000)
        #expect(small.demandPacketsPerSecond == 6)
        #expect(small.sendRatePacketsPerSecond == PingRatePlan.floorPacketsPerSecond)
        let thinLink = PingRatePlan(
            devices: 20, packetsPerRound: 3, roundInterval: .seconds(10), ceilingPacketsPerSecond: 500)
        #expect(thinLink.sendRatePacketsPerSecond == 500 && thinLink.fits)
    }

    @Test func demandAboveTheCeilingStretchesTheIntervalToFit() {
        let plan = PingRatePlan(
            devices: 50_000, packetsPerRound: 1, roundInterval: .seconds(10), ceilingPacketsPerSecond: 2_000)
        #expect(plan.demandPacketsPerSecond == 5_000)
        #expect(!plan.fits)
        #expect(plan.sendRatePacketsPerSecond == 2_000)
        #expect(plan.roundInterval == .seconds(28), "5,000 / 2,000 × 10 s × 1.1, rounded up")
        #expect(plan.devicesPinged == 50_000)
        // Rounded up to whole seconds: the stretched demand stays below the ceiling.
        let odd = PingRatePlan(
            devices: 1_001, packetsPerRound: 3, roundInterval: .seconds(1), ceilingPacketsPerSecond: 1_000)
        #expect(odd.roundInterval == .seconds(4))
        #expect(Double(1_001 * 3) / 4 <= 1_000 / PingRatePlan.stretchMargin)
    }

    @Test func beyondADayTheDevicesThatDoNotFitAreLeftOut() {
        let plan = PingRatePlan(
            devices: 1_000_000, packetsPerRound: 100, roundInterval: .seconds(1), ceilingPacketsPerSecond: 10)
        #expect(!plan.fits)
        #expect(plan.roundInterval == PingConfiguration.maximumRoundInterval)
        #expect(plan.devicesPinged == 7_854, "86,400 s × 10 packets/s / 100 packets / 1.1")
    }

    @Test(arguments: [
        (0, PingRatePlan.ceilingRange.lowerBound), (-7, PingRatePlan.ceilingRange.lowerBound),
        (Int.max, PingRatePlan.ceilingRange.upperBound),
    ])
    func hostileCeilingsAreClamped(ceiling: Int, expected: Int) {
        let plan = PingRatePlan(
            devices: 100, packetsPerRound: 3, roundInterval: .seconds(10), ceilingPacketsPerSecond: ceiling)
        #expect(plan.ceilingPacketsPerSecond == expected)
        #expect(plan.sendRatePacketsPerSecond <= expected && plan.sendRatePacketsPerSecond >= 1)
    }

    @Test func hostileCountsAndIntervalsDoNotTrap() {
        let negative = PingRatePlan(
            devices: -5, packetsPerRound: -1, roundInterval: .seconds(-3), ceilingPacketsPerSecond: 1_000)
        #expect(negative.devices == 0 && negative.demandPacketsPerSecond == 0 && negative.fits)
        let huge = PingRatePlan(
            devices: Int.max, packetsPerRound: Int.max, roundInterval: .zero, ceilingPacketsPerSecond: 1_000)
        #expect(!huge.fits && huge.sendRatePacketsPerSecond == 1_000)
        #expect(huge.roundInterval == PingConfiguration.maximumRoundInterval)
        #expect(huge.devicesPinged >= 0)
    }
}

@Suite("Ping devices of a configuration, and the cannot-fit warning")
struct PingDevicesPlanTests {
    private static func configuration(devices: Int, interval: Double = 10, packets: Int = 1) -> AgentConfiguration {
        AgentConfiguration(
            devices: (0..<devices).map { index in
                AgentConfiguration.Device(
                    id: UUID(), name: "d\(index)",
                    address: "10.\(index / 65_536).\(index / 256 % 256).\(index % 256)")
            },
            pingIntervalSeconds: interval, pingPackets: packets)
    }

    @Test func aFittingConfigurationKeepsItsIntervalAndLogsTheRateAtInfo() {
        let log = CapturedLog()
        var applied: PingRatePlan?
        let devices = AgentService.pingDevices(
            of: Self.configuration(devices: 3_000), ceiling: 20_000, logger: log.logger()
        ) { applied = $0 }
        #expect(devices.count == 3_000)
        #expect(devices.allSatisfy { $0.configuration.roundInterval == .seconds(10) })
        #expect(applied?.sendRatePacketsPerSecond == PingRatePlan.floorPacketsPerSecond)
        #expect(log.entries.contains { $0.level == .info && $0.message.contains("ICMP send rate set") })
        #expect(!log.entries.contains { $0.level >= .warning })
    }

    @Test func aConfigurationAboveTheCeilingIsAWarningWithItsFiguresAndStretchedRounds() throws {
        let log = CapturedLog()
        let monitor = PingLoadMonitor(ceilingPacketsPerSecond: 1_000)
        let devices = AgentService.pingDevices(
            of: Self.configuration(devices: 5_000, packets: 3), ceiling: 1_000, logger: log.logger()
        ) { monitor.adopt($0) }
        #expect(devices.count == 5_000)
        #expect(
            devices.allSatisfy { $0.configuration.roundInterval == .seconds(17) },
            "1,500 / 1,000 × 10 s × 1.1, rounded up")
        let warning = try #require(log.entries.first { $0.level == .warning })
        #expect(warning.message.contains("cannot fit"))
        #expect(warning.metadata["demand_pps"] == "1500")
        #expect(warning.metadata["ceiling_pps"] == "1000")
        #expect(warning.metadata["devices"] == "5000")
        #expect(warning.metadata["stretched_interval"] == "17.0 seconds")
        let load = monitor.current
        #expect(load == PingLoad(demandPacketsPerSecond: 1_500, ceilingPacketsPerSecond: 1_000, roundsOverrun: 0))
    }

    @Test func invalidTargetsAreSkippedAndNotCountedInTheDemand() {
        var configuration = Self.configuration(devices: 10)
        configuration.devices[0] = AgentConfiguration.Device(id: UUID(), name: "bad", address: "not-an-address")
        var applied: PingRatePlan?
        let devices = AgentService.pingDevices(of: configuration, ceiling: 20_000, logger: CapturedLog().logger()) {
            applied = $0
        }
        #expect(devices.count == 9 && applied?.devices == 9)
    }

    @Test(arguments: [0.0, -1, .infinity, .nan, 1e300])
    func anUnusableIntervalPingsNothingAndDoesNotTrap(interval: Double) {
        let log = CapturedLog()
        let devices = AgentService.pingDevices(
            of: Self.configuration(devices: 2, interval: interval), ceiling: 20_000, logger: log.logger()
        ) { _ in }
        #expect(devices.isEmpty)
        #expect(log.entries.contains { $0.level == .error && $0.message.contains("invalid ping settings") })
    }
}
