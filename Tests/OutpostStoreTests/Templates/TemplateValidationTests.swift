import Foundation
import Testing

@testable import OutpostStore

@Suite("Template documents and validation")
struct TemplateValidationTests {
    static let minimal = MonitoringTemplate(
        name: "t", vendor: "Acme",
        items: [
            .init(
                name: "cpu", oidName: "acmeCpu", oid: "1.3.6.1.4.1.99999.1.0", interval: 60, valueType: "gauge32",
                units: "%")
        ],
        triggers: [.init(name: "busy", expression: "last(cpu) > 90", severity: "high", forDuration: 300)])

    @Test("the seven built-in templates parse, validate and use real numeric OIDs")
    func builtins() throws {
        let templates = try BuiltinTemplates.all()
        #expect(
            templates.map(\.name) == [
                "Cisco IOS/IOS-XE", "FortiGate", "HP/Aruba", "Juniper", "MikroTik RouterOS", "Linux (net-snmp)",
                "Windows",
            ])
        let oids = Dictionary(
            templates.flatMap { $0.items.map { ($0.oidName, $0.oid) } },
            uniquingKeysWith: { first, second in
                #expect(first == second, "one MIB object, two OIDs")
                return first
            })
        // Spot checks against the public MIBs.
        #expect(oids["sysUpTime"] == "1.3.6.1.2.1.1.3.0")
        #expect(oids["ifHCInOctets"] == "1.3.6.1.2.1.31.1.1.1.6")
        #expect(oids["ifHCOutOctets"] == "1.3.6.1.2.1.31.1.1.1.10")
        #expect(oids["ifOperStatus"] == "1.3.6.1.2.1.2.2.1.8")
        #expect(oids["hrProcessorLoad"] == "1.3.6.1.2.1.25.3.3.1.2")
        #expect(oids["cpmCPUTotal5minRev"] == "1.3.6.1.4.1.9.9.109.1.1.1.1.8")
        #expect(oids["ciscoMemoryPoolUsed"] == "1.3.6.1.4.1.9.9.48.1.1.1.5")
        #expect(oids["ciscoEnvMonTemperatureStatusValue"] == "1.3.6.1.4.1.9.9.13.1.3.1.3")
        #expect(oids["fgSysCpuUsage"] == "1.3.6.1.4.1.12356.101.4.1.3.0")
        #expect(oids["fgSysMemUsage"] == "1.3.6.1.4.1.12356.101.4.1.4.0")
        #expect(oids["jnxOperatingCPU"] == "1.3.6.1.4.1.2636.3.1.13.1.8")
        #expect(oids["jnxOperatingTemp"] == "1.3.6.1.4.1.2636.3.1.13.1.7")
        #expect(oids["mtxrHlTemperature"] == "1.3.6.1.4.1.14988.1.1.3.10.0")
        #expect(oids["hpSwitchCpuStat"] == "1.3.6.1.4.1.11.2.14.11.5.1.9.6.1.0")
        #expect(oids["memTotalReal"] == "1.3.6.1.4.1.2021.4.5.0")
        #expect(oids["memAvailReal"] == "1.3.6.1.4.1.2021.4.6.0")
        #expect(oids["laLoad.2"] == "1.3.6.1.4.1.2021.10.1.3.2")
        // Tables are columns to walk; scalars are instances.
        for template in templates {
            for item in template.items where item.isTable {
                #expect(!item.oid.hasSuffix(".0"), "\(template.name) \(item.name)")
            }
            #expect(!template.triggers.isEmpty, "\(template.name) has triggers")
        }
    }

    @Test("a file holds one template or an array; the JSON round-trips")
    func documents() throws {
        let one = try TemplateDocument.json(Self.minimal)
        #expect(try TemplateDocument.decode(Data(one.utf8), source: "one") == [Self.minimal])
        var second = Self.minimal
        second.name = "u"
        let array = "[\(one), \(try TemplateDocument.json(second))]"
        #expect(try TemplateDocument.decode(Data(array.utf8), source: "array").map(\.name) == ["t", "u"])
        #expect(one.contains("\"oid_name\"") && one.contains("\"for_duration\"") && one.contains("\"is_table\""))
    }

    @Test(
        "bad templates are refused with the offending part named",
        arguments: [
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].oid = "1.3.6.x" }, "not a numeric OID"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].interval = 0 }, "interval"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].interval = 86_401 }, "interval"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].valueType = "double" }, "value_type"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].name = "CPU load" }, "[a-z][a-z0-9_]*"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items.append(t.items[0]) }, "appears twice"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items[0].isTable = true }, "table column OID"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.items = [] }, "no items"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.triggers[0].severity = "disaster" }, "severity"),
            (
                { @Sendable (t: inout MonitoringTemplate) in t.triggers[0].expression = "last(memory) > 90" },
                "\"memory\", which is not an item"
            ),
            ({ @Sendable (t: inout MonitoringTemplate) in t.triggers[0].forDuration = -1 }, "for_duration"),
            ({ @Sendable (t: inout MonitoringTemplate) in t.name = "" }, "name must be 1 to 100"),
        ] as [(@Sendable (inout MonitoringTemplate) -> Void, String)])
    func invalid(_ change: @Sendable (inout MonitoringTemplate) -> Void, _ reason: String) {
        var template = Self.minimal
        change(&template)
        #expect {
            try template.validate()
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test("unreadable JSON names the file and the path of the problem")
    func unreadable() {
        let text =
            #"{"name": "x", "items": [{"name": "a", "oid": "1.3.6.1.2.1.1.3.0", "interval": 60, "value_type": "timeticks"}]}"#
        #expect {
            try TemplateDocument.decode(Data(text.utf8), source: "x.json")
        } throws: { error in
            "\(error)".contains("x.json") && "\(error)".contains("oid_name")
        }
    }

    @Test("item references are read from function calls in trigger expressions")
    func references() {
        #expect(
            MonitoringTemplate.itemReferences(in: "last(a) / (last(b) + last( c_1)) * 100 > 90 AND avg(d, 5m) > 1")
                == ["a", "b", "c_1", "d"])
    }
}
