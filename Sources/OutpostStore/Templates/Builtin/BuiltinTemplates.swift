import Foundation

/// The templates shipped with the collector, imported by `templates import --builtin`.
///
/// They are JSON documents in the same format `templates import --file` reads, files of
/// `Resources/Templates/` embedded in the binary at build time (the EmbedResources plugin)
/// rather than SwiftPM resources: `Bundle.module` on Linux looks for a resource bundle beside
/// the executable and traps when it is missing, so a collector binary copied alone onto a
/// server would crash; embedded text travels inside the binary.
public enum BuiltinTemplates {
    /// The documents under `Resources/Templates/`, one per template, in import order.
    static let documents: [String] = [
        // Cisco IOS / IOS-XE: CISCO-PROCESS-MIB, CISCO-MEMORY-POOL-MIB, CISCO-ENVMON-MIB, IF-MIB.
        "cisco-ios.json",
        // Fortinet FortiGate: FORTINET-FORTIGATE-MIB system info and hardware sensors, IF-MIB.
        "fortigate.json",
        // HP ProCurve / Aruba (ArubaOS-Switch): STATISTICS-MIB CPU, NETSWITCH-MIB memory,
        // ENTITY-SENSOR-MIB sensors, IF-MIB.
        "hp-aruba.json",
        // Juniper Junos: JUNIPER-MIB jnxOperatingTable (CPU, memory buffer, temperature), IF-MIB.
        "juniper.json",
        // MikroTik RouterOS: MIKROTIK-MIB health, HOST-RESOURCES-MIB CPU and memory, IF-MIB.
        "mikrotik.json",
        // Linux with net-snmp's snmpd: UCD-SNMP-MIB load and memory, HOST-RESOURCES-MIB, IF-MIB.
        "linux-net-snmp.json",
        // Windows with its SNMP service: HOST-RESOURCES-MIB, IF-MIB.
        "windows.json",
    ].map { EmbeddedResources.text("Templates/\($0)") }

    /// Every built-in template, parsed and validated.
    public static func all() throws(TemplateError) -> [MonitoringTemplate] {
        var templates: [MonitoringTemplate] = []
        for (index, document) in documents.enumerated() {
            templates += try TemplateDocument.decode(Data(document.utf8), source: "built-in template #\(index + 1)")
        }
        return templates
    }
}
