import Testing

@testable import OutpostProbes

@Suite("Discovery classification")
struct DeviceClassificationTests {
    @Test(arguments: [
        ("1.3.6.1.4.1.9.1.1208", UInt32(9), "Cisco"),
        (".1.3.6.1.4.1.2636.1.1.1.2.29", 2636, "Juniper"),
        ("1.3.6.1.4.1.11.2.3.7.11.181", 11, "HP"),
        ("1.3.6.1.4.1.12356.101.1.1", 12356, "Fortinet"),
        ("1.3.6.1.4.1.14988.1", 14988, "MikroTik"),
        ("1.3.6.1.4.1.8072.3.2.10", 8072, "net-snmp"),
        ("1.3.6.1.4.1.311.1.1.3.1.2", 311, "Microsoft"),
        ("1.3.6.1.4.1.14823.1.2.111", 14823, "Aruba"),
        ("1.3.6.1.4.1.2011.2.23.96", 2011, "Huawei"),
        ("1.3.6.1.4.1.41112", 41112, "Ubiquiti"),
        ("1.3.6.1.4.1.25461.2.3.36", 25461, "Palo Alto Networks"),
        ("1.3.6.1.4.1.674.10892.2", 674, "Dell"),
        ("1.3.6.1.4.1.6574.1", 6574, "Synology"),
        ("1.3.6.1.4.1.318.1.3.27", 318, "APC"),
    ])
    func vendorFromEnterpriseNumber(sysObjectID: String, number: UInt32, name: String) throws {
        let vendor = try #require(DeviceVendor(sysObjectID: sysObjectID))
        #expect(vendor.enterpriseNumber == number)
        #expect(vendor.name == name)
        #expect(vendor.description == name)
    }

    @Test func unknownAndNonEnterpriseObjectIDs() throws {
        let unknown = try #require(DeviceVendor(sysObjectID: "1.3.6.1.4.1.99999.1.2"))
        #expect(unknown.enterpriseNumber == 99_999 && unknown.name == nil && unknown.description == "enterprise 99999")
        #expect(DeviceVendor(sysObjectID: "1.3.6.1.2.1.1") == nil)
        #expect(DeviceVendor(sysObjectID: "1.3.6.1.4.1") == nil)
        #expect(DeviceVendor(sysObjectID: "1.3.6.1.4.1.x.1") == nil)
        #expect(DeviceVendor(sysObjectID: "") == nil)
    }

    struct TypeCase: Sendable, CustomTestStringConvertible {
        var sysDescr: String?
        var sysServices: Int?
        var sysObjectID: String?
        var expected: DeviceType
        var testDescription: String { "\(sysDescr ?? "nil") / \(sysServices.map(String.init) ?? "nil") → \(expected)" }
    }

    static let typeCases: [TypeCase] = [
        TypeCase(
            sysDescr: "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4", sysServices: 2,
            sysObjectID: "1.3.6.1.4.1.9.1.1208", expected: .switch),
        TypeCase(
            sysDescr: "Cisco IOS Software [Amsterdam], Catalyst L3 Switch Software (CAT9K_IOSXE)", sysServices: 6,
            expected: .switch),
        TypeCase(
            sysDescr: "Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)", sysServices: 78,
            expected: .router),
        TypeCase(
            sysDescr: "Cisco IOS Software, 2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M", sysServices: 78,
            expected: .router),
        TypeCase(sysDescr: "Cisco Adaptive Security Appliance Version 9.8(4)", sysServices: 4, expected: .firewall),
        TypeCase(
            sysDescr: "FortiGate-60F v7.2.5", sysServices: 78, sysObjectID: "1.3.6.1.4.1.12356.101.1.1",
            expected: .firewall),
        TypeCase(sysDescr: "", sysServices: 72, sysObjectID: "1.3.6.1.4.1.25461.2.3.36", expected: .firewall),
        TypeCase(sysDescr: "Juniper Networks, Inc. srx300 internet router, kernel JUNOS 21.2R3", expected: .firewall),
        TypeCase(sysDescr: "Juniper Networks, Inc. ex2300-24t Ethernet Switch, kernel JUNOS 20.4R3", expected: .switch),
        TypeCase(sysDescr: "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 22.1", expected: .router),
        TypeCase(
            sysDescr: "RouterOS CCR2004-16G-2S+", sysServices: 78, sysObjectID: "1.3.6.1.4.1.14988.1", expected: .router
        ),
        TypeCase(
            sysDescr: "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI23500017", expected: .printer),
        TypeCase(sysDescr: "HP LaserJet Pro M404dn", expected: .printer),
        TypeCase(
            sysDescr: "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2)", sysObjectID: "1.3.6.1.4.1.318.1.3.27",
            expected: .ups),
        TypeCase(sysDescr: "Eaton Powerware 9130 UPS", expected: .ups),
        TypeCase(sysDescr: "UAP-AC-Pro-Gen2 6.5.28.14491", sysObjectID: "1.3.6.1.4.1.41112", expected: .accessPoint),
        TypeCase(sysDescr: "Cisco Aironet 1850 Series Access Point", expected: .accessPoint),
        TypeCase(
            sysDescr: "Linux nas 4.4.302+ #69057 SMP x86_64", sysServices: 72, sysObjectID: "1.3.6.1.4.1.8072.3.2.10",
            expected: .server),
        TypeCase(
            sysDescr: "Hardware: Intel64 Family 6 Model 85 - Software: Windows Version 6.3 (Build 17763)",
            sysServices: 76,
            expected: .server),
        TypeCase(sysDescr: "Backups and groups appliance", expected: .unknown),
        TypeCase(sysDescr: "Kasai controller", sysServices: 4, expected: .router),
        TypeCase(sysDescr: "", sysServices: 2, expected: .switch),
        TypeCase(sysDescr: nil, sysServices: 64, expected: .server),
        TypeCase(sysDescr: nil, sysServices: 8, expected: .server),
        TypeCase(sysDescr: nil, sysServices: 1, expected: .unknown),
        TypeCase(sysDescr: nil, sysServices: nil, expected: .unknown),
    ]

    @Test(arguments: typeCases)
    func deviceTypeFromTheRuleTable(_ testCase: TypeCase) {
        let vendor = testCase.sysObjectID.flatMap(DeviceVendor.init(sysObjectID:))
        #expect(
            DeviceType(sysDescr: testCase.sysDescr, sysServices: testCase.sysServices, vendor: vendor)
                == testCase.expected)
    }

    @Test func procNetARPKeepsCompleteEntriesOnly() {
        let text = """
            IP address       HW type     Flags       HW address            Mask     Device
            192.168.1.1      0x1         0x2         AA:BB:CC:00:11:22     *        eth0
            192.168.1.7      0x1         0x0         00:00:00:00:00:00     *        eth0
            192.168.1.9      0x1         0x6         02:42:ac:11:00:02     *        eth0
            garbage line
            """
        let table = NeighbourTable(procNetARP: text)
        #expect(table.macAddresses == ["192.168.1.1": "aa:bb:cc:00:11:22", "192.168.1.9": "02:42:ac:11:00:02"])
        #expect(table.macAddress(of: "192.168.1.7") == nil)
    }
}
