import Foundation
import OutpostCore

extension ItemSample {
    /// The sample for one polled item: the typed value on success; on failure (or an
    /// SNMPv2 exception value such as noSuchObject) no value and the reason as `error`,
    /// as `item_history` and `monitoring_items.last_value/last_poll/last_error` store them.
    public init(
        itemID: ItemID, deviceID: DeviceID, timestamp: Date, result: Result<SNMPValue, SNMPError>, rate: Double? = nil,
        instance: ItemInstance? = nil
    ) {
        switch result {
        case .success(let value):
            switch value {
            case .noSuchObject, .noSuchInstance, .endOfMibView:
                self.init(
                    itemID: itemID, deviceID: deviceID, timestamp: timestamp, value: nil, error: value.textValue,
                    instance: instance)
            default:
                self.init(
                    itemID: itemID, deviceID: deviceID, timestamp: timestamp, value: value, rate: rate,
                    instance: instance)
            }
        case .failure(let error):
            self.init(itemID: itemID, deviceID: deviceID, timestamp: timestamp, value: nil, error: error.description)
        }
    }
}
