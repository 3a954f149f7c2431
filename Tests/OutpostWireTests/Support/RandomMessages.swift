import Foundation
import OutpostCore

@testable import OutpostWire

/// Random instances of every message and of batches, covering every optional, every SNMP
/// value type and fields at their limits.
extension RandomValues {
    mutating func message(of type: MessageType) -> Message {
        switch type {
        case .hello:
            .hello(
                Hello(
                    agentVersion: string(maximumBytes: WireLimits.shortText), lastAcknowledgedSequence: uint64(),
                    configVersion: optional { $0.string(maximumBytes: WireLimits.shortText) }, droppedResults: uint64())
            )
        case .welcome:
            .welcome(Welcome(agentID: AgentID(uuid()), nextExpectedSequence: uint64(), serverTime: date()))
        case .heartbeat:
            .heartbeat(Heartbeat(timestamp: date(), health: optional { $0.agentHealth() }))
        case .error:
            .error(
                ErrorMessage(code: ErrorCode(rawValue: uint16()), message: string(maximumBytes: WireLimits.longText)))
        case .batch:
            .batch(try! SignedBatch.sign(batch(), with: TestKeys.agent))
        case .ack:
            .ack(Ack(ranges: ackRanges()))
        case .nack:
            .nack(
                Nack(
                    sequence: uint64(), reason: NackReason(rawValue: uint16()),
                    retryAfterMilliseconds: optional { $0.uint32() },
                    detail: optional { $0.string(maximumBytes: 255) }))
        case .config:
            .config(
                ConfigSnapshot(version: string(maximumBytes: WireLimits.shortText), payload: bytes(maximumLength: 4096))
            )
        case .job:
            .job(Job(id: uuid(), kind: JobKind(rawValue: uint16()), parameters: bytes()))
        case .jobProgress:
            .jobProgress(
                JobProgress(
                    jobID: uuid(), completedUnits: uint64(), totalUnits: optional { $0.uint64() },
                    detail: optional { $0.string(maximumBytes: WireLimits.longText) }))
        case .jobResult:
            .jobResult(
                JobResult(
                    jobID: uuid(), outcome: [.succeeded, .failed, .cancelled][int(0...2)], payload: bytes(),
                    detail: optional { $0.string(maximumBytes: WireLimits.longText) }))
        case .jobCancel:
            .jobCancel(JobCancel(jobID: uuid(), reason: optional { $0.string(maximumBytes: WireLimits.longText) }))
        case .renewRequest:
            .renewRequest(RenewRequest(csrDER: bytes(maximumLength: 2048)))
        case .renewResponse:
            .renewResponse(
                RenewResponse(
                    certificateChainDER: (0..<int(1...WireLimits.certificateChainLength)).map { _ in
                        bytes(maximumLength: 1024)
                    }))
        }
    }

    /// Ascending, disjoint ranges, some touching the top of the sequence space.
    /// A health summary within its ranges: a version of printable text, counters up to 2⁶³−1.
    mutating func agentHealth() -> AgentHealth {
        let text = string(maximumBytes: WireLimits.shortText).filter { character in
            !character.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
        return AgentHealth(
            agentVersion: text.isEmpty ? "v" : text, residentBytes: uint64() >> 1, anonymousBytes: uint64() >> 1,
            spoolBytes: uint64() >> 1, spoolPendingBatches: uint64() >> 1, spoolDroppedBatches: uint64() >> 1,
            spoolDroppedResults: uint64() >> 1, roundsOverrun: uint64() >> 1, icmpDemandPerSecond: uint32(),
            icmpCeilingPerSecond: uint32())
    }

    mutating func ackRanges() -> [ClosedRange<BatchSequence>] {
        var ranges: [ClosedRange<BatchSequence>] = []
        var next: UInt64 = bool() ? 0 : UInt64.random(in: 0...(UInt64.max / 2), using: &generator)
        for _ in 0..<int(1...20) {
            let lower = next.addingReportingOverflow(UInt64(int(0...1000)))
            guard !lower.overflow else { break }
            let upper = lower.partialValue.addingReportingOverflow(UInt64(int(0...500)))
            guard !upper.overflow else { break }
            ranges.append(lower.partialValue...upper.partialValue)
            guard upper.partialValue < UInt64.max else { break }
            next = upper.partialValue + 1
        }
        if ranges.isEmpty { ranges = [UInt64.max...UInt64.max] }
        return ranges
    }

    mutating func batch(maximumRows: Int = 40) -> Batch {
        Batch(
            agentID: AgentID(uuid()), sequence: uint64(), createdAt: date(),
            pingResults: (0..<int(0...maximumRows)).map { _ in pingResult() },
            itemSamples: (0..<int(0...maximumRows)).map { _ in itemSample() },
            genericResults: (0..<int(0...3)).map { _ in
                GenericResult(kind: JobKind(rawValue: uint16()), payload: bytes())
            })
    }

    mutating func pingResult() -> PingRoundResult {
        PingRoundResult(
            deviceID: DeviceID(uuid()),
            deviceIP: bool()
                ? "10.\(int(0...255)).\(int(0...255)).\(int(0...255))" : string(maximumBytes: WireLimits.shortText),
            timestamp: date(), packetsSent: Int(int64()), packetsReceived: Int(int64()),
            minRTT: optional { $0.double() }, avgRTT: optional { $0.double() },
            maxRTT: optional { $0.double() }, stddevRTT: optional { $0.double() })
    }

    mutating func itemSample() -> ItemSample {
        ItemSample(
            itemID: ItemID(uuid()), deviceID: DeviceID(uuid()), timestamp: date(),
            value: optional { $0.snmpValue() }, rate: optional { $0.double() },
            error: optional { $0.string(maximumBytes: WireLimits.longText / 8) })
    }

    mutating func snmpValue() -> SNMPValue {
        switch int(0...12) {
        case 0: .integer(int64())
        case 1: .counter32(uint32())
        case 2: .counter64(uint64())
        case 3: .gauge32(uint32())
        case 4: .timeTicks(uint32())
        case 5: .octetString(bytes(maximumLength: 64))
        case 6: .objectIdentifier(string(maximumBytes: WireLimits.objectIdentifierText))
        case 7: .ipAddress(string(maximumBytes: WireLimits.shortText))
        case 8: .opaque(bytes(maximumLength: 64))
        case 9: .null
        case 10: .noSuchObject
        case 11: .noSuchInstance
        default: .endOfMibView
        }
    }
}
