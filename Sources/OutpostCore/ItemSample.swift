import Foundation

/// One polled value of one monitoring item: what `item_history` stores and what updates
/// `monitoring_items.last_value/last_poll/last_error`.
public struct ItemSample: Sendable, Equatable {
    /// The item that was polled.
    public var itemID: ItemID
    /// The device the item belongs to.
    public var deviceID: DeviceID
    /// When the value was read (UTC).
    public var timestamp: Date
    /// The value with its SNMP type, or `nil` when the poll failed.
    public var value: SNMPValue?
    /// Per-second rate derived from a counter, when the item is a counter and a previous sample exists.
    public var rate: Double?
    /// Why the poll failed (timeout, authentication failure, noSuchObject…), when it did.
    public var error: String?
    /// For a table item, the row the value belongs to: its instance key (the OID suffix after
    /// the column, e.g. the ifIndex `3`) and a label (e.g. the interface name); `nil` for scalars.
    public var instance: ItemInstance?

    /// Creates a sample.
    public init(
        itemID: ItemID, deviceID: DeviceID, timestamp: Date, value: SNMPValue?, rate: Double? = nil,
        error: String? = nil, instance: ItemInstance? = nil
    ) {
        self.itemID = itemID
        self.deviceID = deviceID
        self.timestamp = timestamp
        self.value = value
        self.rate = rate
        self.error = error
        self.instance = instance
    }
}

/// The row of a table item a sample belongs to (see `docs/interfaces.md`).
public struct ItemInstance: Sendable, Hashable {
    /// Longest instance key accepted (an OID suffix in dotted decimal).
    public static let maximumKeyLength = 128
    /// Longest label accepted, in UTF-8 bytes.
    public static let maximumLabelLength = 255

    /// The OID suffix after the column, in dotted decimal (`3`, `1.4.192.0.2.1`).
    public var key: String
    /// What the row is called on the device (an interface's `ifName`), when known.
    public var label: String?

    /// Creates an instance.
    public init(key: String, label: String? = nil) {
        self.key = key
        self.label = label
    }

    /// Whether `key` is a dotted-decimal OID suffix of 1 to ``maximumKeyLength`` bytes.
    public static func isValidKey(_ key: String) -> Bool {
        let bytes = key.utf8
        guard (1...maximumKeyLength).contains(bytes.count), bytes.first != UInt8(ascii: "."),
            bytes.last != UInt8(ascii: ".")
        else { return false }
        var previousWasDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                previousWasDot = false
            } else {
                return false
            }
        }
        return true
    }

    /// Whether `label` fits ``maximumLabelLength`` bytes and has no control characters.
    public static func isValidLabel(_ label: String) -> Bool {
        label.utf8.count <= maximumLabelLength
            && !label.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// `text` as a storable label: control characters become spaces, trimmed, cut to
    /// ``maximumLabelLength`` bytes on a character boundary; `nil` when nothing is left.
    public static func sanitisedLabel(_ text: String) -> String? {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        var label = String(scalars).trimmingCharacters(in: .whitespaces)
        while label.utf8.count > maximumLabelLength { label.removeLast() }
        return label.isEmpty ? nil : label
    }
}
