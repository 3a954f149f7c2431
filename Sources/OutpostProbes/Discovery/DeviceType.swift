/// What kind of device a host is, as far as its SNMP system group tells.
///
/// ``init(sysDescr:sysServices:vendor:)`` applies these rules in order; the first that
/// matches wins. Phrases match whole words of sysDescr, case-insensitively; a phrase ending
/// in `*` matches the start of a word (model numbers: "isr*" matches "ISR4331").
///
/// | # | Type | sysDescr phrases, or other evidence |
/// |---|------|-------------------------------------|
/// | 1 | ups | ups, smart-ups*, powerware, uninterruptible; or vendor APC (318) |
/// | 2 | printer | printer, laserjet*, jetdirect*, officejet*, mfp |
/// | 3 | access point | access point, aironet*, uap*, unifi ap, instant ap |
/// | 4 | firewall | firewall, fortigate*, pan-os, adaptive security appliance, asa, srx*, sonicwall*; or vendor Fortinet (12356) / Palo Alto (25461) |
/// | 5 | switch | switch, catalyst*, procurve*, nexus*, nx-os, os-cx |
/// | 6 | router | router, routeros, ios xr, isr*, asr* |
/// | 7 | server | linux, windows, freebsd, dsm, vmware, esxi |
/// | 8 | router | sysServices has layer 3 (bit value 4) |
/// | 9 | switch | sysServices has layer 2 (bit value 2) |
/// | 10 | server | sysServices has layer 4 or 7 (bit values 8, 64) |
/// | 11 | unknown | nothing above matched, or no SNMP answer |
public enum DeviceType: String, Sendable, Hashable, CaseIterable {
    /// Routes between networks.
    case router
    /// Forwards frames within a network.
    case `switch`
    /// Filters traffic between networks.
    case firewall
    /// A general-purpose host (Linux, Windows, NAS, hypervisor).
    case server
    /// A printer or multi-function device.
    case printer
    /// A wireless access point (raw value `access_point`).
    case accessPoint = "access_point"
    /// An uninterruptible power supply or its management card.
    case ups
    /// Nothing in the rule table matched.
    case unknown

    /// One row of the rule table: a type and the phrases that select it.
    private struct Rule {
        var type: DeviceType
        var phrases: [String]
        var vendors: Set<UInt32> = []
    }

    private static let keywordRules: [Rule] = [
        Rule(type: .ups, phrases: ["ups", "smart-ups*", "powerware", "uninterruptible"], vendors: [318]),
        Rule(type: .printer, phrases: ["printer", "laserjet*", "jetdirect*", "officejet*", "mfp"]),
        Rule(type: .accessPoint, phrases: ["access point", "aironet*", "uap*", "unifi ap", "instant ap"]),
        Rule(
            type: .firewall,
            phrases: ["firewall", "fortigate*", "pan-os", "adaptive security appliance", "asa", "srx*", "sonicwall*"],
            vendors: [12356, 25461]),
        Rule(type: .switch, phrases: ["switch", "catalyst*", "procurve*", "nexus*", "nx-os", "os-cx"]),
        Rule(type: .router, phrases: ["router", "routeros", "ios xr", "isr*", "asr*"]),
        Rule(type: .server, phrases: ["linux", "windows", "freebsd", "dsm", "vmware", "esxi"]),
    ]

    /// Classifies a host by the rule table above.
    public init(sysDescr: String?, sysServices: Int?, vendor: DeviceVendor?) {
        let text = Self.words(sysDescr ?? "")
        for rule in Self.keywordRules {
            if rule.phrases.contains(where: { Self.matches($0, in: text) })
                || vendor.map({ rule.vendors.contains($0.enterpriseNumber) }) == true
            {
                self = rule.type
                return
            }
        }
        let services = sysServices ?? 0
        if services & 4 != 0 {
            self = .router
        } else if services & 2 != 0 {
            self = .switch
        } else if services & (8 | 64) != 0 {
            self = .server
        } else {
            self = .unknown
        }
    }

    /// Whether `phrase` occurs as whole words (or, ending in `*`, as a word start) in `text`.
    private static func matches(_ phrase: String, in text: String) -> Bool {
        phrase.hasSuffix("*") ? text.contains(" \(phrase.dropLast())") : text.contains(" \(phrase) ")
    }

    /// Lower-cased words separated by single spaces and padded with one on each side, so
    /// that `" asa "` matches the word and not "kasai"; `-` stays inside words ("pan-os").
    private static func words(_ text: String) -> String {
        let tokens = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-") }
        return " " + tokens.joined(separator: " ") + " "
    }
}
