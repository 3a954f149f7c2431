extension BuiltinTemplates {
    /// Windows with its SNMP service: HOST-RESOURCES-MIB, IF-MIB.
    static let windows = #"""
    {
      "name": "Windows",
      "description": "Windows hosts running the SNMP service: CPU per core (hrProcessorLoad), storage and memory in allocation units (hrStorageTable; the \"Physical Memory\" row is RAM), processes (hrSystemProcesses), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "Microsoft",
      "match_vendors": ["Windows"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "hrSystemUptime", "oid": "1.3.6.1.2.1.25.1.1.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu", "oid_name": "hrProcessorLoad", "oid": "1.3.6.1.2.1.25.3.3.1.2", "interval": 60, "value_type": "integer", "units": "%", "is_table": true},
        {"name": "processes", "oid_name": "hrSystemProcesses", "oid": "1.3.6.1.2.1.25.1.6.0", "interval": 300, "value_type": "gauge32"},
        {"name": "storage_descr", "oid_name": "hrStorageDescr", "oid": "1.3.6.1.2.1.25.2.3.1.3", "interval": 3600, "value_type": "string", "is_table": true},
        {"name": "storage_units", "oid_name": "hrStorageAllocationUnits", "oid": "1.3.6.1.2.1.25.2.3.1.4", "interval": 3600, "value_type": "integer", "units": "B", "is_table": true},
        {"name": "storage_size", "oid_name": "hrStorageSize", "oid": "1.3.6.1.2.1.25.2.3.1.5", "interval": 3600, "value_type": "integer", "is_table": true},
        {"name": "storage_used", "oid_name": "hrStorageUsed", "oid": "1.3.6.1.2.1.25.2.3.1.6", "interval": 300, "value_type": "integer", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 %", "expression": "avg(cpu, 5m) > 90", "severity": "high", "for_duration": 300},
        {"name": "Storage above 90 % used", "expression": "last(storage_used) / last(storage_size) * 100 > 90", "severity": "warning", "for_duration": 600},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
