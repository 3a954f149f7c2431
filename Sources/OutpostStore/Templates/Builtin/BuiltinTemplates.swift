import Foundation

/// The templates shipped with the collector, imported by `templates import --builtin`.
///
/// They are JSON documents in the same format `templates import --file` reads, embedded as
/// string literals rather than SwiftPM resources: `Bundle.module` on Linux looks for a resource
/// bundle beside the executable and traps when it is missing, so a collector binary copied
/// alone onto a server would crash; literals travel inside the binary.
public enum BuiltinTemplates {
    /// The JSON documents, one per template.
    static let documents: [String] = [ciscoIOS, fortiGate, hpAruba, juniper, mikroTik, linuxNetSNMP, windows]

    /// Every built-in template, parsed and validated.
    public static func all() throws(TemplateError) -> [MonitoringTemplate] {
        var templates: [MonitoringTemplate] = []
        for (index, document) in documents.enumerated() {
            templates += try TemplateDocument.decode(Data(document.utf8), source: "built-in template #\(index + 1)")
        }
        return templates
    }
}
