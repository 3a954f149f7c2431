import Foundation

/// The agent host's IPv4 neighbour (ARP) table: which MAC address answered for which IP
/// address on the local links. Only complete entries are kept; IPv6 neighbours are not read.
struct NeighbourTable: Sendable, Equatable {
    /// MAC address (lower-case, colon-separated) by IPv4 address literal.
    private(set) var macAddresses: [String: String] = [:]

    /// The table now, or an empty one where `/proc/net/arp` cannot be read.
    ///
    /// Read to its end by `read(2)` calls: `String(contentsOfFile:)` and `Data(contentsOf:)`
    /// stop after the first 4 KiB of a proc file (about 50 neighbours), which lost the MAC
    /// addresses of hosts listed further down a sweep's table of incomplete entries.
    static func current(path: String = "/proc/net/arp") -> NeighbourTable {
        guard let file = FileHandle(forReadingAtPath: path) else { return NeighbourTable() }
        defer { try? file.close() }
        guard let data = try? file.readToEnd(), let text = String(data: data, encoding: .utf8) else {
            return NeighbourTable()
        }
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
