import Foundation
import Logging
import PostgresNIO

/// A device named on the command line could not be identified.
public enum DeviceLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No device has this id or name.
    case unknown(String)
    /// Several devices have this name (names are not unique in the inventory).
    case ambiguous(name: String, matches: Int)

    public var description: String {
        switch self {
        case .unknown(let device): "no device with id or name \(device.debugDescription)"
        case .ambiguous(let name, let matches):
            "\(matches) devices are named \(name.debugDescription); give the device's id instead"
        }
    }
}

/// Finds a device by id or by name, as the command line names it.
struct DeviceLookup: Sendable {
    let logger: Logger

    /// The id of the device whose id is `specification`, or else whose name is it.
    func device(_ specification: String, on connection: PostgresConnection) async throws -> UUID {
        if let id = UUID(uuidString: specification) {
            let rows = try await connection.query("SELECT id FROM standalone_devices WHERE id = \(id)", logger: logger)
            for try await found in rows.decode(UUID.self) { return found }
            throw DeviceLookupError.unknown(specification)
        }
        let rows = try await connection.query(
            "SELECT id FROM standalone_devices WHERE name = \(specification)", logger: logger)
        var matches: [UUID] = []
        for try await found in rows.decode(UUID.self) { matches.append(found) }
        guard matches.count <= 1 else { throw DeviceLookupError.ambiguous(name: specification, matches: matches.count) }
        guard let device = matches.first else { throw DeviceLookupError.unknown(specification) }
        return device
    }
}
