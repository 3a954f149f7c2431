import OutpostCore

/// The instances of table samples, an optional section after the generic one: a presence
/// bitmap over the item rows, then key and label of each row whose bit is set.
///
/// A batch without table samples leaves the section out, so its bytes are those of the format
/// before instances existed; a batch that ends after the generic section has no instances
/// (`docs/protocol.md`, "Item instance section").
enum ItemInstanceSection {
    static func encode(_ rows: [ItemSample], to writer: inout WireWriter) throws(WireError) {
        guard rows.contains(where: { $0.instance != nil }) else { return }
        writer.writeBitmap(rows.lazy.map { $0.instance != nil })
        for case let instance? in rows.lazy.map(\.instance) {
            try writer.writeString(
                instance.key, field: "batch.item.instance.key", maximumLength: ItemInstance.maximumKeyLength)
            writer.writePresence(instance.label != nil)
            if let label = instance.label {
                try writer.writeString(
                    label, field: "batch.item.instance.label", maximumLength: ItemInstance.maximumLabelLength)
            }
        }
    }

    /// Sets the instances of `rows` from the section, when the batch has one.
    static func decode(into rows: inout [ItemSample], from reader: inout WireReader) throws(WireError) {
        guard reader.remaining > 0 else { return }
        let present = try reader.readBitmap(count: rows.count, field: "batch.item.instance")
        guard present.contains(true) else {
            // An encoder leaves out a section without instances: one batch, one encoding.
            throw .invalidField(field: "batch.item.instance", reason: "section present without any instance")
        }
        for (row, isPresent) in present.enumerated() where isPresent {
            let key = try reader.readString(
                field: "batch.item.instance.key", maximumLength: ItemInstance.maximumKeyLength)
            guard ItemInstance.isValidKey(key) else {
                throw .invalidField(field: "batch.item.instance.key", reason: "not a dotted-decimal OID suffix")
            }
            var label: String?
            if try reader.readPresence(field: "batch.item.instance.label") {
                let text = try reader.readString(
                    field: "batch.item.instance.label", maximumLength: ItemInstance.maximumLabelLength)
                guard ItemInstance.isValidLabel(text) else {
                    throw .invalidField(field: "batch.item.instance.label", reason: "contains control characters")
                }
                label = text
            }
            rows[row].instance = ItemInstance(key: key, label: label)
        }
    }
}
