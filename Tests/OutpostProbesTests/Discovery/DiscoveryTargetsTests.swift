import OutpostProbes
import Testing

@Suite("Discovery target expansion")
struct DiscoveryTargetsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var include: [String]
        var exclude: [String] = []
        var expected: [String]
        var testDescription: String { "\(include) minus \(exclude)" }
    }

    static let cases: [Case] = [
        Case(include: ["192.168.1.0/30"], expected: ["192.168.1.1", "192.168.1.2"]),
        Case(include: ["192.168.1.0/29"], expected: (1...6).map { "192.168.1.\($0)" }),
        Case(include: ["10.0.0.0/31"], expected: ["10.0.0.0", "10.0.0.1"]),
        Case(include: ["10.0.0.7/32"], expected: ["10.0.0.7"]),
        Case(include: ["10.0.0.7"], expected: ["10.0.0.7"]),
        Case(
            include: ["10.0.0.0/29"], exclude: ["10.0.0.2", "10.0.0.4/31"],
            expected: ["10.0.0.1", "10.0.0.3", "10.0.0.6"]),
        Case(include: ["10.0.0.0/29"], exclude: ["10.0.0.0/30"], expected: ["10.0.0.4", "10.0.0.5", "10.0.0.6"]),
        Case(include: ["10.0.0.0/30", "10.0.0.0/29"], expected: (1...6).map { "10.0.0.\($0)" }),
        Case(include: ["10.0.1.0/30", "10.0.0.0/30"], expected: ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.1.2"]),
        Case(include: ["10.0.0.255", "10.0.1.0/31"], expected: ["10.0.0.255", "10.0.1.0", "10.0.1.1"]),
        Case(
            include: ["10.0.0.0/24"],
            exclude: [
                "10.0.0.2/31", "10.0.0.0/25", "10.0.0.128/26", "10.0.0.192/27", "10.0.0.224/28",
                "10.0.0.240/29", "10.0.0.248/30",
            ], expected: ["10.0.0.252", "10.0.0.253", "10.0.0.254"]),
        Case(include: ["255.255.255.254/31"], expected: ["255.255.255.254", "255.255.255.255"]),
        Case(include: ["fd00::/126"], expected: ["fd00::", "fd00::1", "fd00::2", "fd00::3"]),
        Case(include: ["fd00::/126"], exclude: ["fd00::1", "10.0.0.0/8"], expected: ["fd00::", "fd00::2", "fd00::3"]),
        Case(include: ["::1", "127.0.0.1"], expected: ["127.0.0.1", "::1"]),
        Case(
            include: ["2001:db8::ff/128", "2001:db8::100/127"],
            expected: ["2001:db8::ff", "2001:db8::100", "2001:db8::101"]),
    ]

    @Test(arguments: cases)
    func expandsToExactlyTheseAddresses(_ testCase: Case) throws {
        let targets = try DiscoveryTargets(include: testCase.include, exclude: testCase.exclude)
        #expect(Array(targets) == testCase.expected)
        #expect(targets.count == testCase.expected.count)
    }

    @Test func sixteenBitRangeIsCountedWithoutExpandingAndIteratesInOrder() throws {
        let targets = try DiscoveryTargets(include: ["172.16.0.0/16"])
        #expect(targets.count == 65_534)
        #expect(Array(targets.prefix(3)) == ["172.16.0.1", "172.16.0.2", "172.16.0.3"])
        var iterator = targets.makeIterator()
        var produced = 0
        var last: String?
        while let address = iterator.next() {
            produced += 1
            last = address
        }
        #expect(produced == 65_534)
        #expect(last == "172.16.255.254")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var include: [String]
        var exclude: [String] = []
        var maximumHosts = DiscoveryTargets.defaultMaximumHosts
        var error: DiscoveryTargetError
        var testDescription: String { "\(include) minus \(exclude) max \(maximumHosts)" }
    }

    static let refusals: [Refusal] = [
        Refusal(include: ["10.0.0.0/15"], error: .tooManyHosts(count: 131_070, maximum: 65_536)),
        Refusal(include: ["0.0.0.0/0"], error: .tooManyHosts(count: 4_294_967_294, maximum: 65_536)),
        Refusal(
            include: ["10.0.0.0/24", "10.1.0.0/24"], maximumHosts: 300, error: .tooManyHosts(count: 508, maximum: 300)),
        Refusal(include: ["fd00::/64"], error: .ipv6PrefixTooShort("fd00::/64", minimumLength: 120)),
        Refusal(include: ["::/0"], error: .ipv6PrefixTooShort("::/0", minimumLength: 120)),
        Refusal(
            include: ["10.0.0.5/24"],
            error: .invalidPrefix("10.0.0.5/24", reason: "host bits are set; the network is 10.0.0.0/24")),
        Refusal(include: ["10.0.0.0/33"], error: .invalidPrefix("10.0.0.0/33", reason: "prefix length must be 0...32")),
        Refusal(include: ["10.0.0.0/"], error: .invalidPrefix("10.0.0.0/", reason: "prefix length must be 0...32")),
        Refusal(include: ["fd00::/129"], error: .invalidPrefix("fd00::/129", reason: "prefix length must be 0...128")),
        Refusal(
            include: ["branch-router"], error: .invalidPrefix("branch-router", reason: "not an IPv4 or IPv6 address")),
        Refusal(
            include: ["10.0.0.0/24/8"],
            error: .invalidPrefix("10.0.0.0/24/8", reason: "expected an address or address/length")),
        Refusal(
            include: ["10.0.0.0/24"], exclude: ["10.0.0.256"],
            error: .invalidPrefix("10.0.0.256", reason: "not an IPv4 or IPv6 address")),
        Refusal(include: [], error: .empty),
        Refusal(include: ["10.0.0.0/30"], exclude: ["10.0.0.0/24"], error: .empty),
        Refusal(include: ["10.0.0.0/24"], maximumHosts: 0, error: .invalidMaximum(0)),
    ]

    @Test(arguments: refusals)
    func refusesWithAClearError(_ refusal: Refusal) {
        #expect(throws: refusal.error) {
            try DiscoveryTargets(include: refusal.include, exclude: refusal.exclude, maximumHosts: refusal.maximumHosts)
        }
    }

    @Test func capAppliesAfterExclusionsAndIsConfigurable() throws {
        // 10.0.0.0/15 has 131,070 hosts; without 10.1.0.0/16 it keeps 10.0.0.1...10.0.255.255.
        let trimmed = try DiscoveryTargets(include: ["10.0.0.0/15"], exclude: ["10.1.0.0/16"])
        #expect(trimmed.count == 65_535)
        let raised = try DiscoveryTargets(include: ["10.0.0.0/15"], maximumHosts: 131_070)
        #expect(raised.count == 131_070)
    }

    @Test func errorsReadWell() {
        #expect(
            DiscoveryTargetError.tooManyHosts(count: 131_070, maximum: 65_536).description
                == "the sweep covers 131070 hosts, more than the maximum of 65536; split the range or raise the limit")
        #expect(
            DiscoveryTargetError.ipv6PrefixTooShort("fd00::/64", minimumLength: 120).description
                == "IPv6 prefix fd00::/64 is too large to sweep; use /120 or longer")
    }
}
