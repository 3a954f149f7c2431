import Foundation
import OutpostCore

/// The imported devices by address, prepared once for the ping history: each device with its
/// id's text (Foundation formats a UUID with `sprintf`, too slow for millions of rows), and
/// the addresses known valid, so a row's device and address check are dictionary look-ups.
struct PingDeviceLookup: Sendable {
    /// An imported device as the ping rows name it.
    struct Device: Sendable {
        let id: UUID
        let name: String
        /// `id` lower-case with dashes, as COPY and the canonical text print it.
        let text: [UInt8]
        /// `id`'s bytes as two big-endian numbers: PostgreSQL's `uuid` order.
        let order: (high: UInt64, low: UInt64)

        init(id: UUID, name: String) {
            self.id = id
            self.name = name
            text = Array(id.uuidString.lowercased().utf8)
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            order = (
                bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
            )
        }
    }

    private let byIP: [String: [Device]]

    init(_ context: LegacyImportContext) {
        var byIP: [String: [Device]] = [:]
        for (ip, ids) in context.devicesByIP {
            byIP[ip] = ids.compactMap { id in
                context.devices[id].map { Device(id: id, name: $0.name) }
            }
        }
        self.byIP = byIP
    }

    /// The imported device of `ip`: the only one, else the one whose name the row carries,
    /// else none; and whether several devices have the address.
    func device(ip: String, name: String?) -> (Device?, shared: Bool) {
        guard let candidates = byIP[ip], !candidates.isEmpty else { return (nil, false) }
        if candidates.count == 1 { return (candidates[0], false) }
        guard let name = name.map(Self.trimmed) else { return (nil, true) }
        return (candidates.first { $0.name == name }, true)
    }

    /// Whether `ip` is an IPv4 or IPv6 address (an imported device's address is one already).
    func isValidAddress(_ ip: String) -> Bool {
        byIP[ip] != nil || IPAddressText.isValid(ip)
    }

    /// `text` without leading and trailing white space (Foundation's `.whitespaces`); the
    /// text itself, unexamined by Foundation, when it begins and ends with a printable ASCII
    /// character, as nearly every row does.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return text }
        func blank(_ byte: UInt8) -> Bool { byte <= 32 || byte >= 0x7F }
        guard blank(first) || blank(last) else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
