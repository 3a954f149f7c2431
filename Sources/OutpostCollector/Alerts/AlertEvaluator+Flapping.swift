import Foundation
import OutpostStore
import PostgresNIO

extension AlertEvaluator {
    /// Opens the pair's `flapping` row, flags the device and notifies once (unless in maintenance).
    func startFlapping(_ pair: inout AlertPairState, key: Key, _ context: Context) async {
        let message =
            "flapping: \(context.record.name) on \(context.device.name) changes state too often; notifications paused"
        do {
            let id = try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                let id = try await store.insertFiring(
                    rule: context.record, deviceID: context.device.id, message: message, value: context.value,
                    at: context.now, flapping: true, inMaintenance: context.maintenanceWindow != nil,
                    on: connection)
                try await store.setFlapping(device: context.device.id, true, on: connection)
                return id
            }
            pair.flappingRecord = id
            logger.notice(
                "alert flapping", metadata: ["rule": "\(context.record.name)", "device": "\(context.device.name)"])
            if context.maintenanceWindow == nil { notify(.flappingStarted, id: id, context, message: message) }
        } catch {
            logger.error(
                "could not record flapping",
                metadata: ["rule": "\(context.record.id)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Resolves the pair's `flapping` row, clears the device's flag unless another of its rules
    /// still flaps, and notifies once (unless in maintenance).
    func stopFlapping(_ pair: inout AlertPairState, key: Key, _ context: Context) async {
        let othersFlap = pairs.contains { $0.key.device == key.device && $0.key != key && $0.value.flap.isFlapping }
        let record = pair.flappingRecord
        do {
            try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                if let record { try await store.resolve(historyID: record, at: context.now, on: connection) }
                if !othersFlap { try await store.setFlapping(device: context.device.id, false, on: connection) }
            }
            pair.flappingRecord = nil
            logger.notice(
                "alert flapping stopped",
                metadata: ["rule": "\(context.record.name)", "device": "\(context.device.name)"])
            if let record, context.maintenanceWindow == nil {
                notify(
                    .flappingStopped, id: record, context,
                    message: "flapping stopped: \(context.record.name) on \(context.device.name)")
            }
        } catch {
            logger.error(
                "could not record the end of flapping",
                metadata: ["rule": "\(context.record.id)", "error": "\(String(reflecting: error))"])
        }
    }
}
