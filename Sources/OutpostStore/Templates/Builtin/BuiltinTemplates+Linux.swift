extension BuiltinTemplates {
    /// Linux with net-snmp's snmpd: UCD-SNMP-MIB load and memory, HOST-RESOURCES-MIB, IF-MIB.
    static let linuxNetSNMP = #"""
    {
      "name": "Linux (net-snmp)",
      "description": "Linux hosts running net-snmp snmpd: load averages (UCD-SNMP-MIB laLoad, decimal strings), memory in KiB (memTotalReal, memAvailReal, swap), disk use (dskPercent, for disks listed in snmpd.conf), CPU per core and storage (HOST-RESOURCES-MIB), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "net-snmp",
      "match_vendors": ["Linux"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "hrSystemUptime", "oid": "1.3.6.1.2.1.25.1.1.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "load_1min", "oid_name": "laLoad.1", "oid": "1.3.6.1.4.1.2021.10.1.3.1", "interval": 60, "value_type": "float"},
        {"name": "load_5min", "oid_name": "laLoad.2", "oid": "1.3.6.1.4.1.2021.10.1.3.2", "interval": 60, "value_type": "float"},
        {"name": "load_15min", "oid_name": "laLoad.3", "oid": "1.3.6.1.4.1.2021.10.1.3.3", "interval": 300, "value_type": "float"},
        {"name": "mem_total", "oid_name": "memTotalReal", "oid": "1.3.6.1.4.1.2021.4.5.0", "interval": 3600, "value_type": "integer", "units": "KiB"},
        {"name": "mem_available", "oid_name": "memAvailReal", "oid": "1.3.6.1.4.1.2021.4.6.0", "interval": 60, "value_type": "integer", "units": "KiB"},
        {"name": "swap_total", "oid_name": "memTotalSwap", "oid": "1.3.6.1.4.1.2021.4.3.0", "interval": 3600, "value_type": "integer", "units": "KiB"},
        {"name": "swap_available", "oid_name": "memAvailSwap", "oid": "1.3.6.1.4.1.2021.4.4.0", "interval": 300, "value_type": "integer", "units": "KiB"},
        {"name": "disk_percent", "oid_name": "dskPercent", "oid": "1.3.6.1.4.1.2021.9.1.9", "interval": 300, "value_type": "integer", "units": "%", "is_table": true},
        {"name": "cpu", "oid_name": "hrProcessorLoad", "oid": "1.3.6.1.2.1.25.3.3.1.2", "interval": 60, "value_type": "integer", "units": "%", "is_table": true},
        {"name": "storage_size", "oid_name": "hrStorageSize", "oid": "1.3.6.1.2.1.25.2.3.1.5", "interval": 3600, "value_type": "integer", "is_table": true},
        {"name": "storage_used", "oid_name": "hrStorageUsed", "oid": "1.3.6.1.2.1.25.2.3.1.6", "interval": 300, "value_type": "integer", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true}
      ],
      "triggers": [
        {"name": "Load average (5 min) above 8", "expression": "last(load_5min) > 8", "severity": "warning", "for_duration": 600},
        {"name": "Less than 10 % memory available", "expression": "last(mem_available) / last(mem_total) * 100 < 10", "severity": "high", "for_duration": 300},
        {"name": "Disk above 90 % used", "expression": "last(disk_percent) > 90", "severity": "warning", "for_duration": 600},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
