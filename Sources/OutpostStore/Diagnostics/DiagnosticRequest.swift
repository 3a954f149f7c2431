import Foundation

/// What an operator (or a trigger) asks for: a traceroute or MTR of one device.
public struct DiagnosticRequest: Sendable, Equatable {
    public var kind: DiagnosticJobRecord.Kind
    /// `icmp`, `udp` or `tcp`.
    public var probeProtocol: String
    /// Destination port of TCP probes.
    public var port: Int
    /// MTR cycles (1 for a traceroute).
    public var cycles: Int
    public var trigger: DiagnosticJobRecord.Trigger
    /// The alert the trace is attached to.
    public var alertHistoryID: UUID?
    /// Whether the agent resolves the hop addresses to names (reverse DNS, bounded by a short deadline).
    public var resolveNames: Bool

    /// - Throws: ``DiagnosticStoreError/invalid(field:reason:)`` for an unknown protocol, a port
    ///   outside 1...65535 or cycles outside 1...100.
    public init(
        kind: DiagnosticJobRecord.Kind, probeProtocol: String = "icmp", port: Int = 80, cycles: Int = 10,
        trigger: DiagnosticJobRecord.Trigger, alertHistoryID: UUID? = nil, resolveNames: Bool = false
    ) throws(DiagnosticStoreError) {
        guard ["icmp", "udp", "tcp"].contains(probeProtocol) else {
            throw .invalid(field: "protocol", reason: "must be icmp, udp or tcp")
        }
        guard (1...65_535).contains(port) else { throw .invalid(field: "port", reason: "must lie in 1...65535") }
        guard (1...100).contains(cycles) else { throw .invalid(field: "cycles", reason: "must lie in 1...100") }
        self.kind = kind
        self.probeProtocol = probeProtocol
        self.port = port
        self.cycles = kind == .traceroute ? 1 : cycles
        self.trigger = trigger
        self.alertHistoryID = alertHistoryID
        self.resolveNames = resolveNames
    }
}
