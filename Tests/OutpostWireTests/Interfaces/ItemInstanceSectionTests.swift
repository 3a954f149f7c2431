import Foundation
import OutpostCore
import Testing

@testable import OutpostWire

/// The optional item instance section: table samples carry their row, older batches still decode.
@Suite("Item instance section")
struct ItemInstanceSectionTests {
    private static let agent = AgentID(UUID(uuidString: "6F1C9B43-2D4A-4E7B-9C10-5B7E0C2A9F11")!)
    private static let start = try! WireTime.date(microseconds: 1_764_000_000_000_000, field: "test")

    private static func batch(_ samples: [ItemSample]) -> Batch {
        Batch(agentID: agent, sequence: 7, createdAt: start.addingTimeInterval(60), itemSamples: samples)
    }

    private static func sample(_ value: UInt64, instance: ItemInstance?) -> ItemSample {
        ItemSample(
            itemID: ItemID(UUID()), deviceID: DeviceID(UUID()), timestamp: start, value: .counter64(value),
            rate: 12.5, instance: instance)
    }

    @Test("table samples keep their instance key and label through encoding")
    func roundTrip() throws {
        let batch = Self.batch([
            Self.sample(1, instance: ItemInstance(key: "3", label: "GigabitEthernet0/1")),
            Self.sample(2, instance: nil),
            Self.sample(3, instance: ItemInstance(key: "1.4.192.0.2.1", label: nil)),
        ])
        let decoded = try Batch(decoding: try batch.encoded())
        #expect(decoded == batch)
        #expect(decoded.itemSamples.map(\.instance?.key) == ["3", nil, "1.4.192.0.2.1"])
    }

    @Test("a batch without table samples has the bytes of the format before instances")
    func scalarBatchesAreUnchanged() throws {
        let batch = Self.batch([Self.sample(1, instance: nil)])
        var writer = WireWriter(reservingCapacity: 256)
        writer.writeUUID(batch.agentID.uuid)
        writer.writeVarUInt(batch.sequence)
        let origin = try WireTime.microseconds(of: batch.createdAt, field: "test")
        writer.writeVarInt(origin)
        try PingSection.encode([], after: origin, to: &writer)
        try ItemSampleSection.encode(batch.itemSamples, after: origin, to: &writer)
        GenericSection.encode([], to: &writer)
        #expect(try batch.encoded() == writer.bytes)
        #expect(try Batch(decoding: writer.bytes) == batch)
    }

    @Test(
        "hostile instances are refused with the field named",
        arguments: [
            ("3.", "batch.item.instance.key"), ("", "batch.item.instance.key"), ("1..2", "batch.item.instance.key"),
            ("eth0", "batch.item.instance.key"), (String(repeating: "1.", count: 64) + "1", "batch.item.instance.key"),
        ])
    func hostileKeysAreRefused(key: String, field: String) throws {
        var bytes = try Self.batch([Self.sample(1, instance: ItemInstance(key: "9", label: nil))]).encoded()
        // The valid key "9" is the section's last string but one byte (presence 0): swap it.
        #expect(bytes.suffix(3) == [1, UInt8(ascii: "9"), 0])
        bytes.removeLast(3)
        var writer = WireWriter(reservingCapacity: 256)
        writer.writeBytes(Array(key.utf8))
        writer.writePresence(false)
        bytes += writer.bytes
        #expect {
            _ = try Batch(decoding: bytes)
        } throws: { error in
            "\(error)".contains(field)
        }
    }

    @Test("a label with control characters or a section without instances is refused")
    func hostileSectionsAreRefused() throws {
        var bytes = try Self.batch([Self.sample(1, instance: ItemInstance(key: "9", label: "x"))]).encoded()
        #expect(bytes.suffix(2) == [1, UInt8(ascii: "x")])
        bytes[bytes.count - 1] = 0x07
        #expect(throws: WireError.self) { _ = try Batch(decoding: bytes) }

        var empty = try Self.batch([Self.sample(1, instance: nil)]).encoded()
        empty.append(0)  // a bitmap of one row with no bit set
        #expect {
            _ = try Batch(decoding: empty)
        } throws: { error in
            "\(error)".contains("batch.item.instance")
        }
    }

    @Test("labels from a device are made storable: control characters out, cut to 255 bytes")
    func labelsAreSanitised() {
        #expect(ItemInstance.sanitisedLabel("Gi0/1\u{0}\n") == "Gi0/1")
        #expect(ItemInstance.sanitisedLabel("   ") == nil)
        let long = ItemInstance.sanitisedLabel(String(repeating: "ü", count: 200))
        #expect(long.map { $0.utf8.count <= 255 && ItemInstance.isValidLabel($0) } == true)
    }
}
