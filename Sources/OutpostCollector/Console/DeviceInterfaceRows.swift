import Foundation
import OutpostConsole
import OutpostStore

/// The device page's interface table from the stored inventory and last metrics.
enum DeviceInterfaceRows {
    static func rows(_ interfaces: [DeviceInterface], clock: OperatorClock) -> [DeviceInterfaceRow] {
        interfaces.map { interface in
            DeviceInterfaceRow(
                ifIndex: interface.ifIndex, name: interface.name ?? "if\(interface.ifIndex)",
                label: [interface.alias, interface.description].compactMap { $0 }.first { !$0.isEmpty } ?? "",
                speed: interface.speedBps.map { bits(Double($0)) } ?? "",
                adminStatus: interface.adminStatus ?? "", operStatus: interface.operStatus ?? "",
                changed: interface.operStatusChangedAt.map(clock.dateTime) ?? "",
                inbound: interface.inBps.map(bits) ?? "–", outbound: interface.outBps.map(bits) ?? "–",
                utilisation: pair(interface.inUtilisationPercent, interface.outUtilisationPercent, unit: " %"),
                errors: pair(interface.errorsPerSecond, interface.discardsPerSecond, unit: ""),
                isp: interface.isISPLink ? interface.ispProvider ?? "operator" : "",
                isISPLink: interface.isISPLink, missingSince: interface.missingSince.map(clock.dateTime))
        }
    }

    /// `950 bit/s`, `12.4 Mbit/s`, `1 Gbit/s`.
    static func bits(_ perSecond: Double) -> String {
        let units: [(Double, String)] = [(1e12, "Tbit/s"), (1e9, "Gbit/s"), (1e6, "Mbit/s"), (1e3, "kbit/s")]
        guard let (scale, unit) = units.first(where: { perSecond >= $0.0 }) else {
            return String(format: "%.0f bit/s", perSecond)
        }
        let value = perSecond / scale
        return value == value.rounded()
            ? String(format: "%.0f %@", value, unit) : String(format: "%.1f %@", value, unit)
    }

    private static func pair(_ first: Double?, _ second: Double?, unit: String) -> String {
        guard first != nil || second != nil else { return "–" }
        let text = { (value: Double?) in value.map { String(format: "%.1f", $0) + unit } ?? "–" }
        return "\(text(first)) / \(text(second))"
    }
}
