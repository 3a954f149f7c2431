import Foundation
import OutpostCore

/// What the table samples of one ingest say about one interface: the newest value of each
/// IF-MIB column seen for it, ready for the `device_interfaces` upsert (as JSON, so absent
/// values are SQL NULLs that leave the stored value alone).
struct InterfaceObservation: Encodable, Equatable {
    var deviceID: UUID
    var ifIndex: Int32
    /// Newest sample time of any column of the interface.
    var seenAt: Date
    /// Newest sample time of an ifTable column, when one was seen (the interface was listed).
    var listedAt: Date?
    var name: String?
    var description: String?
    var alias: String?
    var macAddress: String?
    var speedBps: Int64?
    var mtu: Int32?
    var adminStatus: String?
    var operStatus: String?
    var ifType: Int32?
    var lastChangeTicks: Int64?
    var inBps: Double?
    var outBps: Double?
    var errorsPerSecond: Double?
    var discardsPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case deviceID = "device_id"
        case ifIndex = "if_index"
        case seenAt = "seen_at"
        case listedAt = "listed_at"
        case name, description, alias
        case macAddress = "mac_address"
        case speedBps = "speed_bps"
        case mtu
        case adminStatus = "admin_status"
        case operStatus = "oper_status"
        case ifType = "if_type"
        case lastChangeTicks = "last_change_ticks"
        case inBps = "in_bps"
        case outBps = "out_bps"
        case errorsPerSecond = "errors_per_second"
        case discardsPerSecond = "discards_per_second"
    }

    /// Longest name, description or alias stored (`device_interfaces` VARCHAR(255)).
    static let maximumTextLength = 255

    /// The observations in `samples`, given the IF-MIB column of each interface item. Samples
    /// without a value, of other items, or whose instance is not an ifIndex (1 ... 2^31-1) are
    /// skipped; of several samples of one column the newest wins.
    static func observations(in samples: [ItemSample], columns: [ItemID: InterfaceColumn]) -> [InterfaceObservation] {
        struct Key: Hashable {
            var device: DeviceID
            var ifIndex: Int32
        }
        var cells: [Key: [InterfaceColumn: ItemSample]] = [:]
        for sample in samples {
            guard let column = columns[sample.itemID], let key = sample.instance?.key, let ifIndex = Int32(key),
                ifIndex > 0, sample.value != nil, sample.error == nil
            else { continue }
            let index = Key(device: sample.deviceID, ifIndex: ifIndex)
            if let held = cells[index]?[column], held.timestamp > sample.timestamp { continue }
            cells[index, default: [:]][column] = sample
        }
        return cells.map { key, columns in
            observation(device: key.device.uuid, ifIndex: key.ifIndex, columns)
        }.sorted { ($0.deviceID.uuidString, $0.ifIndex) < ($1.deviceID.uuidString, $1.ifIndex) }
    }

    private static func observation(device: UUID, ifIndex: Int32, _ columns: [InterfaceColumn: ItemSample])
        -> InterfaceObservation
    {
        func number(_ column: InterfaceColumn) -> Double? { columns[column]?.value?.numericValue }
        func text(_ column: InterfaceColumn) -> String? {
            columns[column]?.value.flatMap { ItemInstance.sanitisedLabel($0.textValue) }.map {
                String($0.prefix(maximumTextLength))
            }
        }
        func rate(_ preferred: InterfaceColumn, _ fallback: InterfaceColumn) -> Double? {
            columns[preferred]?.rate ?? columns[fallback]?.rate
        }
        func sum(_ a: InterfaceColumn, _ b: InterfaceColumn) -> Double? {
            let rates = [columns[a]?.rate, columns[b]?.rate].compactMap { $0 }
            return rates.isEmpty ? nil : rates.reduce(0, +)
        }
        let seenAt = columns.values.map(\.timestamp).max() ?? Date(timeIntervalSince1970: 0)
        let listedAt = columns.filter { $0.key.isInIfTable }.map { $0.value.timestamp }.max()
        var observation = InterfaceObservation(deviceID: device, ifIndex: ifIndex, seenAt: seenAt, listedAt: listedAt)
        observation.name = text(.name)
        observation.description = text(.descr) ?? columns.values.compactMap(\.instance?.label).first
        observation.alias = text(.alias)
        observation.macAddress = columns[.physAddress]?.value.flatMap(macAddress(of:))
        if let megabits = number(.highSpeed), megabits > 0 {
            observation.speedBps = Int64(exactly: (megabits * 1_000_000).rounded())
        } else if let bits = number(.speed), bits >= 0, bits < Double(UInt32.max) {
            observation.speedBps = Int64(bits)
        }
        observation.mtu = number(.mtu).flatMap { Int32(exactly: $0) }
        observation.adminStatus = number(.adminStatus).flatMap(InterfaceColumn.adminStatus)
        observation.operStatus = number(.operStatus).flatMap(InterfaceColumn.operStatus)
        observation.ifType = number(.type).flatMap { Int32(exactly: $0) }
        observation.lastChangeTicks = number(.lastChange).flatMap { Int64(exactly: $0) }
        observation.inBps = rate(.hcInOctets, .inOctets).map { $0 * 8 }
        observation.outBps = rate(.hcOutOctets, .outOctets).map { $0 * 8 }
        observation.errorsPerSecond = sum(.inErrors, .outErrors)
        observation.discardsPerSecond = sum(.inDiscards, .outDiscards)
        return observation
    }

    /// An ifPhysAddress as `aa:bb:cc:dd:ee:ff`; `nil` unless it is 6 bytes (loopbacks have none).
    static func macAddress(of value: SNMPValue) -> String? {
        guard case .octetString(let bytes) = value, bytes.count == 6 else { return nil }
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
