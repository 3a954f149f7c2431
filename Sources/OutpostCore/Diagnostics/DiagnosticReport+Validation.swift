import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A report field outside its domain.
public struct DiagnosticReportError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension DiagnosticReport {
    /// Bounds every value a hostile agent controls: at most 64 hops numbered 1...64 in increasing
    /// order, address literals only, names of at most 253 printable characters, RTTs finite
    /// within 0...60,000 ms, counts consistent with the cycles, at most 16 MPLS labels of 20 bits.
    /// - Throws: ``DiagnosticReportError`` naming the first bad field.
    public func validated() throws(DiagnosticReportError) -> DiagnosticReport {
        guard Self.isAddress(target) else { throw .init("target is not an address literal") }
        guard ["icmp", "udp", "tcp"].contains(probeProtocol) else { throw .init("unknown probeProtocol") }
        guard ["reached", "silentHops", "maxHops", "cancelled"].contains(ending) else { throw .init("unknown ending") }
        guard DiagnosticJobParameters.cyclesRange.contains(cycles) else { throw .init("cycles \(cycles) out of range") }
        guard (0...64 * 10 * 100).contains(probesSent) else { throw .init("probesSent out of range") }
        guard hops.count <= 64 else { throw .init("\(hops.count) hops (at most 64)") }
        let now = Date()
        guard startedAt.timeIntervalSince(now) < 600, now.timeIntervalSince(startedAt) < 7 * 86_400 else {
            throw .init("startedAt too far from now")
        }
        var previous = 0
        for hop in hops {
            guard hop.number > previous, hop.number <= 64 else {
                throw .init("hop numbers must increase within 1...64")
            }
            previous = hop.number
            try Self.validate(hop, cycles: cycles)
        }
        return self
    }

    private static func validate(_ hop: Hop, cycles: Int) throws(DiagnosticReportError) {
        let label = "hop \(hop.number)"
        if let responder = hop.responder, !isAddress(responder) { throw .init("\(label): responder is not an address") }
        if let name = hop.hostname {
            guard name.utf8.count <= 253, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw .init("\(label): hostname is not a printable name of at most 253 characters")
            }
        }
        guard (0...10 * cycles).contains(hop.sent), (0...hop.sent).contains(hop.received) else {
            throw .init("\(label): sent/received out of range")
        }
        guard hop.rttsMilliseconds.count <= hop.received else { throw .init("\(label): more RTTs than replies") }
        let values =
            hop.rttsMilliseconds
            + [
                hop.lastMilliseconds, hop.averageMilliseconds, hop.bestMilliseconds, hop.worstMilliseconds,
                hop.standardDeviationMilliseconds, hop.jitterMilliseconds,
            ].compactMap { $0 }
        guard values.allSatisfy({ $0.isFinite && (0...60_000).contains($0) }) else {
            throw .init("\(label): RTT outside 0...60000 ms")
        }
        if let reply = hop.reply {
            guard reply.utf8.count <= 32,
                reply.unicodeScalars.allSatisfy({
                    $0.properties.isASCIIHexDigit || $0 == "-" || ("a"..."z").contains($0)
                })
            else {
                throw .init("\(label): unknown reply")
            }
        }
        guard hop.mplsLabels.count <= 16, hop.mplsLabels.allSatisfy({ $0 < 1 << 20 }) else {
            throw .init("\(label): MPLS labels out of range")
        }
    }

    /// Whether `text` is an IPv4 or IPv6 literal.
    static func isAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 45 else { return false }
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
