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

    /// Creates a sample.
    public init(
        itemID: ItemID, deviceID: DeviceID, timestamp: Date, value: SNMPValue?, rate: Double? = nil,
        error: String? = nil
    ) {
        self.itemID = itemID
        self.deviceID = deviceID
        self.timestamp = timestamp
        self.value = value
        self.rate = rate
        self.error = error
    }
}
