import Foundation

/// A monitoring template: the SNMP items to poll on a kind of device and the triggers the alert
/// engine evaluates on them. Its JSON form (snake_case keys) is what `templates import --file`
/// reads, what the built-in templates are written in, and what `monitoring_templates.items` /
/// `.triggers` store.
public struct MonitoringTemplate: Sendable, Codable, Equatable {
    /// One OID polled on every device the template is applied to.
    public struct Item: Sendable, Codable, Equatable {
        /// The item's key within the template (`[a-z][a-z0-9_]*`); trigger expressions refer to it.
        public var name: String
        /// The MIB object's name, e.g. `cpmCPUTotal5minRev`.
        public var oidName: String
        /// Numeric OID: the instance to GET, or for a table the column to walk.
        public var oid: String
        /// Seconds between polls (1...86400).
        public var interval: Int
        /// One of ``MonitoringTemplate/valueTypes``.
        public var valueType: String
        /// Unit shown with values, e.g. `%`, `B`, `°C`.
        public var units: String?
        /// Whether `oid` is a table column walked for every row rather than one instance.
        public var isTable: Bool

        private enum CodingKeys: String, CodingKey {
            case name
            case oidName = "oid_name"
            case oid, interval
            case valueType = "value_type"
            case units
            case isTable = "is_table"
        }

        /// Creates an item.
        public init(
            name: String, oidName: String, oid: String, interval: Int, valueType: String, units: String? = nil,
            isTable: Bool = false
        ) {
            self.name = name
            self.oidName = oidName
            self.oid = oid
            self.interval = interval
            self.valueType = valueType
            self.units = units
            self.isTable = isTable
        }
    }

    /// A condition on the template's items. The expression is stored as text; the alert engine
    /// parses it.
    public struct Trigger: Sendable, Codable, Equatable {
        /// Shown in alerts.
        public var name: String
        /// E.g. `last(cpu_5min) > 90`; every `function(item` names an item of the template.
        public var expression: String
        /// One of ``MonitoringTemplate/severities``.
        public var severity: String
        /// Seconds the condition must hold before the alert fires (0 = at once).
        public var forDuration: Int

        private enum CodingKeys: String, CodingKey {
            case name, expression, severity
            case forDuration = "for_duration"
        }

        /// Creates a trigger.
        public init(name: String, expression: String, severity: String, forDuration: Int = 0) {
            self.name = name
            self.expression = expression
            self.severity = severity
            self.forDuration = forDuration
        }
    }

    /// Unique name.
    public var name: String
    /// Free text.
    public var description: String?
    /// The vendor `templates apply --match` selects devices by (case-insensitive), if any.
    public var vendor: String?
    /// Other spellings of `vendor` that `--match` accepts, e.g. `HPE`, `Aruba`.
    public var matchVendors: [String]
    /// Device types `--match` selects (case-insensitive); empty = any type of the vendor.
    public var deviceTypes: [String]
    /// What to poll.
    public var items: [Item]
    /// What to alert on.
    public var triggers: [Trigger]

    /// The value types `monitoring_items.value_type` accepts.
    public static let valueTypes: Set<String> = [
        "integer", "float", "string", "counter32", "counter64", "gauge32", "timeticks", "octetstring", "oid",
        "ipaddress",
    ]
    /// The severities alert rules and history accept.
    public static let severities: Set<String> = ["critical", "high", "warning", "medium", "low", "info"]

    /// Creates a template.
    public init(
        name: String, description: String? = nil, vendor: String? = nil, matchVendors: [String] = [],
        deviceTypes: [String] = [], items: [Item], triggers: [Trigger] = []
    ) {
        self.name = name
        self.description = description
        self.vendor = vendor
        self.matchVendors = matchVendors
        self.deviceTypes = deviceTypes
        self.items = items
        self.triggers = triggers
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, vendor
        case matchVendors = "match_vendors"
        case deviceTypes = "device_types"
        case items, triggers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        vendor = try container.decodeIfPresent(String.self, forKey: .vendor)
        matchVendors = try container.decodeIfPresent([String].self, forKey: .matchVendors) ?? []
        deviceTypes = try container.decodeIfPresent([String].self, forKey: .deviceTypes) ?? []
        items = try container.decode([Item].self, forKey: .items)
        triggers = try container.decodeIfPresent([Trigger].self, forKey: .triggers) ?? []
    }
}

extension MonitoringTemplate.Item {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        oidName = try container.decode(String.self, forKey: .oidName)
        oid = try container.decode(String.self, forKey: .oid)
        interval = try container.decode(Int.self, forKey: .interval)
        valueType = try container.decode(String.self, forKey: .valueType)
        units = try container.decodeIfPresent(String.self, forKey: .units)
        isTable = try container.decodeIfPresent(Bool.self, forKey: .isTable) ?? false
    }
}

extension MonitoringTemplate.Trigger {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        expression = try container.decode(String.self, forKey: .expression)
        severity = try container.decode(String.self, forKey: .severity)
        forDuration = try container.decodeIfPresent(Int.self, forKey: .forDuration) ?? 0
    }
}
