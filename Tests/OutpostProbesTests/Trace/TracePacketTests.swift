import Foundation
import OutpostCore
import Testing

@testable import OutpostProbes

/// Decoding of what comes back to a trace: only answers to our own probes match, MPLS labels
/// are read from ICMP extensions, and hostile bytes (truncated, lying lengths) decode to nothing.
struct TracePacketTests {
    static let identity = TracePacket.Identity(
        identifier: 0x1234, cookie: 0xC0FF_EE00_1122_3344, udpPort: 40000, tcpPort: 41000)

    /// An IPv4 header of `protocolNumber` from 10.0.0.1 to `destination`.
    static func ipv4Header(protocolNumber: UInt8, destination: [UInt8] = [198, 18, 0, 9]) -> [UInt8] {
        [0x45, 0, 0, 84, 0, 0, 0, 0, 1, protocolNumber, 0, 0, 10, 0, 0, 1] + destination
    }

    /// Our ICMP echo request with `sequence` and `token`.
    static func echoRequest(sequence: UInt16, token: UInt32, cookie: UInt64 = identity.cookie) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ICMPPacket.requestLength, alignment: 8)
        defer { buffer.deallocate() }
        ICMPPacket.encodeEchoRequest(
            into: buffer, isIPv6: false, identifier: identity.identifier, sequence: sequence, cookie: cookie,
            token: token)
        return Array(buffer)
    }

    /// A time exceeded (as a raw IPv4 socket delivers it) quoting `quoted`, with `extensions` appended.
    static func timeExceeded(quoting quoted: [UInt8], rfc4884Words: UInt8 = 0, extensions: [UInt8] = []) -> [UInt8] {
        ipv4Header(protocolNumber: 1, destination: [10, 0, 0, 1]) + [11, 0, 0, 0, 0, rfc4884Words, 0, 0] + quoted
            + extensions
    }

    static func decode(_ bytes: [UInt8]) -> TracePacket.Answer? {
        bytes.withUnsafeBytes { TracePacket.decodeICMP($0, isIPv6: false, hasIPHeader: true, identity: identity) }
    }

    @Test func timeExceededQuotingOurEchoMatchesItsSlotAndToken() throws {
        let answer = try #require(
            Self.decode(
                Self.timeExceeded(
                    quoting: Self.ipv4Header(protocolNumber: 1) + Self.echoRequest(sequence: 77, token: 9))))
        #expect(answer.reply == .timeExceeded)
        #expect(answer.match.slot == 77)
        #expect(answer.match.token == 9)
        #expect(answer.match.destination == ICMPAddress(parsing: "198.18.0.9"))
        #expect(answer.mplsLabels.isEmpty)
    }

    @Test func anotherEnginesProbeDoesNotMatch() {
        let foreign = Self.ipv4Header(protocolNumber: 1) + Self.echoRequest(sequence: 77, token: 9, cookie: 1)
        #expect(Self.decode(Self.timeExceeded(quoting: foreign)) == nil)
    }

    @Test func udpProbeIsMatchedByItsPorts() throws {
        let udp: [UInt8] = [0x9C, 0x40, 0x82, 0x9A + 5, 0, 40, 0, 0]  // 40000 → 33434 + 5
        var payload = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: Self.identity.cookie.bigEndian) { payload.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: UInt32(42).bigEndian) { payload.replaceSubrange(8..<12, with: $0) }
        var unreachable = Self.timeExceeded(quoting: Self.ipv4Header(protocolNumber: 17) + udp + payload)
        unreachable[20] = 3
        unreachable[21] = 3
        let answer = try #require(Self.decode(unreachable))
        #expect(answer.reply == .unreachable(code: 3))
        #expect(
            answer.match
                == .init(probeProtocol: .udp, slot: 5, token: 42, destination: ICMPAddress(parsing: "198.18.0.9")))
    }

    @Test func mplsLabelStackIsReadFromTheExtension() throws {
        // RFC 4884: 128 bytes of quoted datagram (32 words), then extension header and one MPLS object.
        var quoted = Self.ipv4Header(protocolNumber: 1) + Self.echoRequest(sequence: 3, token: 4)
        quoted += [UInt8](repeating: 0, count: 128 - quoted.count)
        let label: UInt32 = 16_005 << 12 | 0 << 9 | 1 << 8 | 254
        let object: [UInt8] = [0, 8, 1, 1] + withUnsafeBytes(of: label.bigEndian) { Array($0) }
        let answer = try #require(
            Self.decode(Self.timeExceeded(quoting: quoted, rfc4884Words: 32, extensions: [0x20, 0, 0, 0] + object)))
        #expect(answer.mplsLabels == [MPLSLabel(label: 16_005, trafficClass: 0, bottomOfStack: true, ttl: 254)])
    }

    @Test func truncatedAndLyingPacketsDecodeToNothing() {
        let valid = Self.timeExceeded(
            quoting: Self.ipv4Header(protocolNumber: 1) + Self.echoRequest(sequence: 1, token: 1))
        for length in 0..<48 { #expect(Self.decode(Array(valid.prefix(length))) == nil) }
        var lying = valid
        lying[28] = 0x4F  // quoted header claims 60 bytes
        _ = Self.decode(lying)
        var bigExtension = valid + [0x20, 0, 0, 0, 0xFF, 0xFF, 1, 1]
        bigExtension[25] = 255
        #expect(Self.decode(bigExtension)?.mplsLabels.isEmpty ?? true)
    }

    @Test func tcpAnswersCarryTheSlotInTheAcknowledgement() throws {
        let sequence = TracePacket.tcpSequence(slot: 300, token: 0x3_FFFF)
        var segment = [UInt8](repeating: 0, count: 20)
        segment[0] = 0
        segment[1] = 80
        withUnsafeBytes(of: Self.identity.tcpPort.bigEndian) { segment.replaceSubrange(2..<4, with: $0) }
        withUnsafeBytes(of: (sequence &+ 1).bigEndian) { segment.replaceSubrange(8..<12, with: $0) }
        segment[12] = 0x50
        segment[13] = 0x14  // RST + ACK
        let answer = try #require(
            (Self.ipv4Header(protocolNumber: 6) + segment).withUnsafeBytes {
                TracePacket.decodeTCP($0, hasIPHeader: true, identity: Self.identity)
            })
        #expect(answer.reply == .tcpReset)
        #expect(answer.match.slot == 300)
        #expect(answer.match.token == 0x3_FFFF)
    }
}

/// Per-hop statistics over cycles, as `mtr --report` computes them.
struct PathStatisticsTests {
    @Test func statisticsFollowMTR() throws {
        var statistics = PathStatistics(target: "10.0.0.9", probeProtocol: .icmp)
        for rtts in [[1.0, 10.0], [3.0, nil], [2.0, 14.0]] as [[Double?]] {
            statistics.add(
                TraceResult(
                    target: "10.0.0.9", probeProtocol: .icmp, startedAt: Date(),
                    hops: rtts.enumerated().map { index, rtt in
                        TraceHop(
                            number: index + 1,
                            probes: [
                                rtt.map {
                                    TraceProbe(
                                        responder: "10.0.0.\(index + 1)", rttMilliseconds: $0,
                                        reply: index == 1 ? .echoReply : .timeExceeded)
                                } ?? TraceProbe()
                            ])
                    }, ending: .reached, probesSent: 2))
        }
        let report = statistics.report(keepRTTs: false)
        #expect(report.hops.count == 2)
        let first = report.hops[0]
        #expect(first.sent == 3 && first.received == 3)
        #expect(first.lastMilliseconds == 2 && first.bestMilliseconds == 1 && first.worstMilliseconds == 3)
        #expect(first.averageMilliseconds == 2)
        #expect(first.standardDeviationMilliseconds == 1)
        #expect(first.jitterMilliseconds == 1.5)
        let second = report.hops[1]
        #expect(second.received == 2)
        #expect(abs(second.lossPercent - 100.0 / 3) < 1e-9)
        #expect(second.reply == "echo-reply")
        #expect(try report.validated() == report)
    }
}

/// The collector's bounds on what an agent reports.
struct DiagnosticReportValidationTests {
    static let valid = DiagnosticReport(
        target: "10.0.0.9", probeProtocol: "icmp", startedAt: Date(), ending: "reached", cycles: 1, probesSent: 3,
        hops: [.init(number: 1, responder: "10.0.0.9", sent: 3, received: 3, rttsMilliseconds: [1, 2, 3])])

    @Test func validReportPasses() throws {
        #expect(try Self.valid.validated() == Self.valid)
        let decoded = try DiagnosticReport(decoding: try Self.valid.encoded())
        #expect(decoded.hops == Self.valid.hops)
    }

    @Test(
        arguments: [
            { (report: inout DiagnosticReport) in report.target = "evil.example" },
            { $0.hops[0].responder = "10.0.0.999" },
            { $0.hops[0].rttsMilliseconds = [.nan] },
            { $0.hops[0].rttsMilliseconds = [-1] },
            { $0.hops[0].averageMilliseconds = 1e9 },
            { $0.hops[0].received = 4 },
            { $0.hops[0].hostname = "a\u{0}b" },
            { $0.hops[0].mplsLabels = [1 << 20] },
            { $0.hops = Array(repeating: $0.hops[0], count: 2) },
            { $0.hops = (1...65).map { .init(number: $0, responder: nil, sent: 0, received: 0) } },
            { $0.cycles = 101 },
            { $0.ending = "whatever" },
            { $0.startedAt = Date(timeIntervalSince1970: 0) },
        ] as [@Sendable (inout DiagnosticReport) -> Void])
    func hostileFieldsAreRefused(_ corrupt: @Sendable (inout DiagnosticReport) -> Void) {
        var report = Self.valid
        corrupt(&report)
        #expect(throws: DiagnosticReportError.self) { try report.validated() }
    }
}
