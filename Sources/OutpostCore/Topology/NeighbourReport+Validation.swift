import Foundation

/// A neighbour report field outside its domain.
public struct NeighbourReportError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension NeighbourReport {
    /// Most neighbours one report may list (a 48-port switch with a few per port stays far below).
    public static let maximumNeighbours = 1_024
    /// Longest text field, in UTF-8 bytes (`network_topology`'s port and name columns).
    public static let maximumTextLength = 100
    /// Protocols a neighbour may be learnt by.
    public static let protocols: Set<String> = ["lldp", "cdp"]

    /// Bounds every value a hostile agent controls: at most ``maximumNeighbours`` neighbours,
    /// protocol `lldp` or `cdp`, port numbers within 0...2^31-1, texts of at most
    /// ``maximumTextLength`` bytes without control characters, management addresses that are
    /// IPv4 or IPv6 literals, and an observation time no more than 10 minutes ahead of `now`
    /// nor older than the 8 days a spool keeps results plus slack.
    /// - Throws: ``NeighbourReportError`` naming the first bad field.
    public func validated(now: Date = Date()) throws(NeighbourReportError) -> NeighbourReport {
        guard observedAt.timeIntervalSince(now) < 600, now.timeIntervalSince(observedAt) < 8 * 86_400 else {
            throw .init("observedAt too far from now")
        }
        guard neighbours.count <= Self.maximumNeighbours else {
            throw .init("\(neighbours.count) neighbours (at most \(Self.maximumNeighbours))")
        }
        for (index, neighbour) in neighbours.enumerated() {
            let label = "neighbour \(index)"
            guard Self.protocols.contains(neighbour.protocolName) else { throw .init("\(label): unknown protocol") }
            guard (0...Int(Int32.max)).contains(neighbour.localPortNumber) else {
                throw .init("\(label): localPortNumber out of range")
            }
            for (name, text) in [
                ("localPort", neighbour.localPort), ("remoteChassisID", neighbour.remoteChassisID),
                ("remotePort", neighbour.remotePort), ("remoteSysName", neighbour.remoteSysName),
            ] {
                guard let text else { continue }
                guard Self.isCleanText(text) else {
                    throw .init("\(label): \(name) is not text of 1...\(Self.maximumTextLength) printable bytes")
                }
            }
            if let address = neighbour.managementAddress, address.utf8.count > 45 || !IPAddressText.isValid(address) {
                throw .init("\(label): managementAddress is not an IPv4 or IPv6 literal")
            }
        }
        return self
    }

    /// Non-empty, at most ``maximumTextLength`` UTF-8 bytes, no control characters.
    public static func isCleanText(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumTextLength
            && text.unicodeScalars.allSatisfy {
                $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value)
            }
    }
}
