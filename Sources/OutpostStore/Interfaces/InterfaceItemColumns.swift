import Foundation
import Logging
import PostgresNIO

extension InterfaceColumn {
    /// The IF-MIB column of each monitoring item of `devices` that polls one (by its OID).
    public static func ofItems(devices: [UUID], on connection: PostgresConnection, logger: Logger) async throws
        -> [UUID: InterfaceColumn]
    {
        let rows = try await connection.query(
            "SELECT id, oid FROM monitoring_items WHERE device_id = ANY(\(devices)) AND is_table", logger: logger)
        var columns: [UUID: InterfaceColumn] = [:]
        for try await (id, oid) in rows.decode((UUID, String).self) {
            if let column = InterfaceColumn(oid: oid) { columns[id] = column }
        }
        return columns
    }
}
