import Foundation

/// The agent host's IPv4 neighbour (ARP) table: which MAC address answered for which IP
/// address on the local links. Only complete entries are kept; IPv6 neighbours are not read.
struct NeighbourTable: Sendable, Equatable {
    /// MAC address (lower-case, colon-separated) by IPv4 address literal.
    private(set) var macAddresses: [String: String] = [:]

    /// The table now, or an empty one where `/proc/net/arp` cannot be read.
    static func current(path: String = "/proc/net/arp") -> NeighbourTable {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return NeighbourTable() }
        return NeighbourTable(procNetARP: text)
    }

    init() {}

    /// Parses the text of `/proc/net/arp`:
    /// `IP address  HW type  Flags  HW address  Mask  Device`, one header line.
    init(procNetARP text: String) {
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 4, let flags = Int(fields[2].dropFirst(2), radix: 16) else { continue }
            let mac = fields[3].lowercased()
            // ATF_COM (0x2): the entry is complete; incomplete ones show 00:00:00:00:00:00.
            guard flags & 0x2 != 0, mac != "00:00:00:00:00:00", mac.split(separator: ":").count == 6 else { continue }
            macAddresses[String(fields[0])] = mac
        }
    }

    /// The MAC address of `address`, if the table has it.
    func macAddress(of address: String) -> String? { macAddresses[address] }
}
