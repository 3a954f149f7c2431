import Foundation
import OutpostCore
import OutpostStore

extension AlertEvaluator {
    /// The open alert of the device's edge router while that router's last ping round failed:
    /// the device's own alerts are then recorded as suppressed by it and do not page.
    func suppressor(of device: AlertDeviceInfo) -> UUID? {
        guard let gateway = device.gatewayID, gateway != device.id,
            let last = windows[gateway]?.series["ping_unreachable"]?.last, case .number(let failures) = last.value,
            failures > 0
        else { return nil }
        return pairs.filter { $0.key.device == gateway }.compactMap(\.value.firingID).min {
            $0.uuidString < $1.uuidString
        }
    }
}
