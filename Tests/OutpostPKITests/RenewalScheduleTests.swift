import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct RenewalScheduleTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let lifetime: TimeInterval = 30 * 86_400

    @Test func renewalIsDueAtTwoThirdsOfTheLifetime() {
        let schedule = RenewalSchedule(notValidBefore: start, notValidAfter: start + lifetime)
        #expect(schedule.lifetime == lifetime)
        #expect(schedule.renewalThreshold == start + 20 * 86_400)
        #expect(!schedule.needsRenewal(now: start + 20 * 86_400 - 1))
        #expect(schedule.needsRenewal(now: start + 20 * 86_400))
        #expect(schedule.needsRenewal(now: start + lifetime + 1))
    }

    @Test func jitterIsBoundedToOneTwentiethOfTheLifetimeBeforeTheThreshold() {
        let schedule = RenewalSchedule(notValidBefore: start, notValidAfter: start + lifetime)
        let earliest = schedule.renewalThreshold - lifetime / 20
        #expect(schedule.renewalDate(jitter: 0) == schedule.renewalThreshold)
        #expect(schedule.renewalDate(jitter: 1) == earliest)
        #expect(schedule.renewalDate(jitter: 7) == earliest)
        #expect(schedule.renewalDate(jitter: -3) == schedule.renewalThreshold)

        var generator = SystemRandomNumberGenerator()
        let dates = (0..<1_000).map { _ in schedule.renewalDate(using: &generator) }
        #expect(dates.allSatisfy { $0 >= earliest && $0 <= schedule.renewalThreshold })
        // Random draws actually spread (1,000 draws landing on fewer than 900 distinct dates is
        // astronomically unlikely with a working generator).
        #expect(Set(dates).count > 900)
    }

    @Test func scheduleFollowsAnIssuedCertificate() throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent(now: start)
        let schedule = RenewalSchedule(certificate: issued.certificate)
        #expect(schedule.notValidBefore == start - PKIDefaults.clockSkewAllowance)
        #expect(schedule.notValidAfter == start + lifetime)
        let date = RenewalSchedule.renewalDate(for: issued.certificate)
        #expect(date <= schedule.renewalThreshold && date >= schedule.renewalThreshold - schedule.lifetime / 20)
    }
}
