import OutpostCore

/// The LLDP-MIB and CISCO-CDP-MIB columns a neighbour walk reads, and how their rows become
/// ``NeighbourReport/Neighbour``s (`docs/topology.md`).
public enum NeighbourColumns {
    // LLDP-MIB lldpLocPortTable (index lldpLocPortNum).
    static let locPortIDSubtype = "1.0.8802.1.1.2.1.3.7.1.2"
    static let locPortID = "1.0.8802.1.1.2.1.3.7.1.3"
    static let locPortDesc = "1.0.8802.1.1.2.1.3.7.1.4"
    // LLDP-MIB lldpRemTable (index lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex).
    static let remChassisIDSubtype = "1.0.8802.1.1.2.1.4.1.1.4"
    static let remChassisID = "1.0.8802.1.1.2.1.4.1.1.5"
    static let remPortIDSubtype = "1.0.8802.1.1.2.1.4.1.1.6"
    static let remPortID = "1.0.8802.1.1.2.1.4.1.1.7"
    static let remPortDesc = "1.0.8802.1.1.2.1.4.1.1.8"
    static let remSysName = "1.0.8802.1.1.2.1.4.1.1.9"
    // LLDP-MIB lldpRemManAddrTable (index … .lldpRemManAddrSubtype.lldpRemManAddr): the address
    // is in the index; lldpRemManAddrIfSubtype is walked to list the rows.
    static let remManAddrIfSubtype = "1.0.8802.1.1.2.1.4.2.1.3"
    // CISCO-CDP-MIB cdpCacheTable (index cdpCacheIfIndex.cdpCacheDeviceIndex).
    static let cdpAddressType = "1.3.6.1.4.1.9.9.23.1.2.1.1.3"
    static let cdpAddress = "1.3.6.1.4.1.9.9.23.1.2.1.1.4"
    static let cdpDeviceID = "1.3.6.1.4.1.9.9.23.1.2.1.1.6"
    static let cdpDevicePort = "1.3.6.1.4.1.9.9.23.1.2.1.1.7"

    /// Every column a neighbour walk reads, in one ``SNMPEngine/walkColumns(_:from:varBindsPerResponse:rowLimit:)``.
    public static let all = [
        locPortIDSubtype, locPortID, locPortDesc, remChassisIDSubtype, remChassisID, remPortIDSubtype, remPortID,
        remPortDesc, remSysName, remManAddrIfSubtype, cdpAddressType, cdpAddress, cdpDeviceID, cdpDevicePort,
    ]

    /// The neighbours in `walk`: one per lldpRemTable row (newest time mark per local port and
    /// index), then one per cdpCacheTable row. Texts lose control characters and are cut to
    /// ``NeighbourReport/maximumTextLength`` bytes; a MAC chassis or port id reads
    /// `aa:bb:cc:dd:ee:ff`; addresses other than IPv4 and IPv6 are left out.
    public static func neighbours(in walk: SNMPTableWalk) -> [NeighbourReport.Neighbour] {
        lldpNeighbours(in: walk) + cdpNeighbours(in: walk)
    }

    private static func lldpNeighbours(in walk: SNMPTableWalk) -> [NeighbourReport.Neighbour] {
        func column(_ oid: String) -> [String: SNMPValue] {
            Dictionary((walk.columns[oid] ?? []).map { ($0.instance, $0.value) }) { first, _ in first }
        }
        let localSubtypes = column(locPortIDSubtype)
        let localIDs = column(locPortID)
        let localDescs = column(locPortDesc)
        let chassisSubtypes = column(remChassisIDSubtype)
        let chassisIDs = column(remChassisID)
        let portSubtypes = column(remPortIDSubtype)
        let portIDs = column(remPortID)
        let portDescs = column(remPortDesc)
        let sysNames = column(remSysName)
        // Management addresses by remote row (timeMark.localPort.index).
        var addresses: [String: String] = [:]
        for cell in walk.columns[remManAddrIfSubtype] ?? [] {
            let parts = cell.instance.split(separator: ".").compactMap { Int($0) }
            guard parts.count >= 5, let address = address(family: parts[3], bytes: Array(parts.dropFirst(5)))
            else { continue }
            let row = parts.prefix(3).map(String.init).joined(separator: ".")
            if addresses[row] == nil || address.contains(".") { addresses[row] = address }  // IPv4 first
        }
        // Rows keyed by (local port, index): the newest time mark wins.
        var newest: [String: (mark: Int, instance: String)] = [:]
        for instance in Set(chassisIDs.keys).union(portIDs.keys).union(sysNames.keys) {
            let parts = instance.split(separator: ".").compactMap { Int($0) }
            guard parts.count == 3 else { continue }
            let key = "\(parts[1]).\(parts[2])"
            if let kept = newest[key], kept.mark >= parts[0] { continue }
            newest[key] = (parts[0], instance)
        }
        return newest.values.map(\.instance).sorted(by: instanceOrder).compactMap { instance in
            let parts = instance.split(separator: ".").compactMap { Int($0) }
            let localPort = String(parts[1])
            return NeighbourReport.Neighbour(
                protocolName: "lldp",
                localPort: portName(
                    subtype: localSubtypes[localPort], id: localIDs[localPort], description: localDescs[localPort],
                    macSubtype: 3),
                localPortNumber: parts[1],
                remoteChassisID: identifier(chassisIDs[instance], isMAC: chassisSubtypes[instance] == .integer(4)),
                remotePort: portName(
                    subtype: portSubtypes[instance], id: portIDs[instance], description: portDescs[instance],
                    macSubtype: 3),
                remoteSysName: sysNames[instance].flatMap { text(of: $0) },
                managementAddress: addresses[instance])
        }
    }

    private static func cdpNeighbours(in walk: SNMPTableWalk) -> [NeighbourReport.Neighbour] {
        func column(_ oid: String) -> [String: SNMPValue] {
            Dictionary((walk.columns[oid] ?? []).map { ($0.instance, $0.value) }) { first, _ in first }
        }
        let types = column(cdpAddressType)
        let addressValues = column(cdpAddress)
        let deviceIDs = column(cdpDeviceID)
        let ports = column(cdpDevicePort)
        return deviceIDs.keys.sorted(by: instanceOrder).compactMap { instance in
            let parts = instance.split(separator: ".").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            var address: String?
            if types[instance] == .integer(1), case .octetString(let bytes)? = addressValues[instance] {
                address = Self.address(family: 1, bytes: bytes.map(Int.init))
            }
            let deviceID = deviceIDs[instance].flatMap { text(of: $0) }
            return NeighbourReport.Neighbour(
                protocolName: "cdp", localPort: nil, localPortNumber: parts[0], remoteChassisID: deviceID,
                remotePort: ports[instance].flatMap { text(of: $0) }, remoteSysName: deviceID,
                managementAddress: address)
        }
    }

    /// A port's name: its id when the id is a name (interfaceName 5, local 7, ifAlias 1), else
    /// its description, else its id as read.
    private static func portName(subtype: SNMPValue?, id: SNMPValue?, description: SNMPValue?, macSubtype: Int64)
        -> String?
    {
        if let subtype, [.integer(5), .integer(7), .integer(1)].contains(subtype), let id, let name = text(of: id) {
            return name
        }
        if let description, let name = text(of: description) { return name }
        return identifier(id, isMAC: subtype == .integer(macSubtype))
    }

    /// A chassis or port id: a MAC as `aa:bb:cc:dd:ee:ff`, else its text.
    private static func identifier(_ value: SNMPValue?, isMAC: Bool) -> String? {
        guard let value else { return nil }
        if isMAC, case .octetString(let bytes) = value, bytes.count == 6 {
            return bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: ":")
        }
        return text(of: value)
    }

    /// Printable text of a value, control characters removed and cut to the report's limit.
    static func text(of value: SNMPValue) -> String? {
        let raw = value.textValue
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in raw.unicodeScalars
        where scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value) {
            let size = String(scalar).utf8.count
            guard bytes + size <= NeighbourReport.maximumTextLength else { break }
            kept.append(scalar)
            bytes += size
        }
        let text = String(kept).trimmingSpaces()
        return text.isEmpty ? nil : text
    }

    /// An IPv4 (family 1, 4 bytes) or IPv6 (family 2, 16 bytes) address from an OID index.
    /// The index may carry a length byte before the address (lldpRemManAddr is not IMPLIED).
    private static func address(family: Int, bytes: [Int]) -> String? {
        let octets = bytes.count == 5 || bytes.count == 17 ? Array(bytes.dropFirst()) : bytes
        guard octets.allSatisfy({ (0...255).contains($0) }) else { return nil }
        switch (family, octets.count) {
        case (1, 4): return octets.map(String.init).joined(separator: ".")
        case (2, 16):
            let groups = stride(from: 0, to: 16, by: 2).map { String(octets[$0] << 8 | octets[$0 + 1], radix: 16) }
            return groups.joined(separator: ":")
        default: return nil
        }
    }

    private static func instanceOrder(_ left: String, _ right: String) -> Bool {
        left.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes(
            right.split(separator: ".").compactMap { Int($0) })
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
