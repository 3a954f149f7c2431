import Foundation
import PostgresNIO

/// A device of the inventory (`standalone_devices`) as operators see it, with its branch and
/// region, and the reachability ingest last derived (read-only here).
public struct DeviceRecord: Sendable, Equatable, Encodable {
    public var id: UUID
    public var name: String
    public var ip: String
    public var hostname: String?
    public var vendor: String?
    public var deviceType: String?
    public var deviceSubtype: String?
    public var model: String?
    public var location: String?
    public var description: String?
    public var enabled: Bool
    public var tags: [String]
    public var branchID: UUID?
    public var branchName: String?
    /// The region of the device's branch.
    public var region: String?
    public var floorInfo: String?
    public var unitNumber: Int?
    public var sshPort: Int
    public var sshUsername: String?
    public var sshEnabled: Bool
    public var createdAt: Date
    public var updatedAt: Date?
    /// Newest round with a reply (written by ingest).
    public var lastSeen: Date?
    /// Start of the current outage, if the device is down (written by ingest).
    public var downSince: Date?
}

extension DeviceRecord {
    /// The columns ``init(row:)`` reads, from `standalone_devices d LEFT JOIN branches b`.
    static let columns = """
        d.id, d.name, d.ip, d.hostname, d.vendor, d.device_type, d.device_subtype, d.model, d.location,
        d.description, d.enabled,
        CASE WHEN jsonb_typeof(d.tags) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(d.tags))
             ELSE '{}'::text[] END AS tags,
        d.branch_id, b.name AS branch_name, b.region, d.floor_info, d.unit_number, d.ssh_port, d.ssh_username,
        d.ssh_enabled, d.created_at, d.updated_at, d.last_seen, d.down_since
        """

    /// `FROM` clause matching ``columns``.
    static let from = "standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id"

    /// Reads a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ column: String, _ type: T.Type = T.self) throws -> T {
            try cells[column].decode(T.self, context: .default)
        }
        id = try value("id")
        name = try value("name")
        ip = try value("ip")
        hostname = try value("hostname")
        vendor = try value("vendor")
        deviceType = try value("device_type")
        deviceSubtype = try value("device_subtype")
        model = try value("model")
        location = try value("location")
        description = try value("description")
        enabled = try value("enabled")
        tags = try value("tags")
        branchID = try value("branch_id")
        branchName = try value("branch_name")
        region = try value("region")
        floorInfo = try value("floor_info")
        unitNumber = try value("unit_number", Int32?.self).map(Int.init)
        sshPort = Int(try value("ssh_port", Int32.self))
        sshUsername = try value("ssh_username")
        sshEnabled = try value("ssh_enabled")
        createdAt = try value("created_at")
        updatedAt = try value("updated_at")
        lastSeen = try value("last_seen")
        downSince = try value("down_since")
    }

    /// The fields an operator sets, as the audit log records them (the branch by name).
    var auditFields: [String: AuditValue] {
        [
            "name": .text(name), "ip": .text(ip), "hostname": .optional(hostname), "vendor": .optional(vendor),
            "device_type": .optional(deviceType), "device_subtype": .optional(deviceSubtype),
            "model": .optional(model), "location": .optional(location), "description": .optional(description),
            "enabled": .bool(enabled), "tags": .texts(tags), "branch": .optional(branchName),
            "floor_info": .optional(floorInfo), "unit_number": unitNumber.map { .integer(Int64($0)) } ?? .null,
            "ssh_port": .integer(Int64(sshPort)), "ssh_username": .optional(sshUsername),
            "ssh_enabled": .bool(sshEnabled),
        ]
    }
}
