import DequeModule

/// The probes of all traces in flight, by slot: the number each probe carries on the wire
/// (ICMP sequence, UDP port offset, TCP sequence bits). Freed slots are reused last, so a late
/// answer finds its slot idle or taken by a probe with another token.
struct TraceProbeTable {
    /// Slots: at most this many probes in flight over all traces (UDP ports 33434...49817).
    static let capacity = 16_384

    struct Probe {
        var trace: Int32
        var serial: UInt64
        var ttl: UInt8
        var index: UInt8
        var token: UInt32
        var sentAt: UInt64
        var probeProtocol: TraceConfiguration.ProbeProtocol
    }

    private var probes: [Probe?] = Array(repeating: nil, count: capacity)
    private var free = Deque<UInt16>((0..<UInt16(capacity)).map { $0 })

    var hasFreeSlot: Bool { !free.isEmpty }

    /// Takes a free slot for `probe`.
    mutating func launch(_ probe: Probe) -> UInt16 {
        let slot = free.removeFirst()
        probes[Int(slot)] = probe
        return slot
    }

    /// The probe in `slot`, if one is in flight there.
    subscript(slot: UInt16) -> Probe? {
        Int(slot) < probes.count ? probes[Int(slot)] : nil
    }

    /// The probe in `slot`, for updating.
    subscript(mutating slot: UInt16) -> Probe? {
        get { probes[Int(slot)] }
        set { probes[Int(slot)] = newValue }
    }

    /// Ends the probe in `slot`.
    mutating func release(_ slot: UInt16) {
        guard probes[Int(slot)] != nil else { return }
        probes[Int(slot)] = nil
        free.append(slot)
    }
}

extension TraceProbeTable {
    /// Stamps the send time of the probe in `slot`.
    mutating func setSentAt(_ slot: UInt16, _ time: UInt64) {
        self[mutating: slot]?.sentAt = time
    }
}
