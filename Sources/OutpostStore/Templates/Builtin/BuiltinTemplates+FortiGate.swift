extension BuiltinTemplates {
    /// Fortinet FortiGate: FORTINET-FORTIGATE-MIB system info and hardware sensors, IF-MIB.
    static let fortiGate = #"""
    {
      "name": "FortiGate",
      "description": "Fortinet FortiGate firewalls: CPU, memory, sessions and disk (FORTINET-FORTIGATE-MIB fgSystemInfo), hardware sensors (fgHwSensorEntValue, a decimal string; hardware models only), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "Fortinet",
      "match_vendors": ["FortiGate"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu", "oid_name": "fgSysCpuUsage", "oid": "1.3.6.1.4.1.12356.101.4.1.3.0", "interval": 60, "value_type": "gauge32", "units": "%"},
        {"name": "memory", "oid_name": "fgSysMemUsage", "oid": "1.3.6.1.4.1.12356.101.4.1.4.0", "interval": 60, "value_type": "gauge32", "units": "%"},
        {"name": "disk_used", "oid_name": "fgSysDiskUsage", "oid": "1.3.6.1.4.1.12356.101.4.1.6.0", "interval": 600, "value_type": "gauge32", "units": "MB"},
        {"name": "disk_capacity", "oid_name": "fgSysDiskCapacity", "oid": "1.3.6.1.4.1.12356.101.4.1.7.0", "interval": 3600, "value_type": "gauge32", "units": "MB"},
        {"name": "sessions", "oid_name": "fgSysSesCount", "oid": "1.3.6.1.4.1.12356.101.4.1.8.0", "interval": 60, "value_type": "gauge32"},
        {"name": "sensor_value", "oid_name": "fgHwSensorEntValue", "oid": "1.3.6.1.4.1.12356.101.4.3.2.1.3", "interval": 300, "value_type": "float", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 %", "expression": "avg(cpu, 5m) > 90", "severity": "high", "for_duration": 300},
        {"name": "Memory above 90 %", "expression": "last(memory) > 90", "severity": "high", "for_duration": 300},
        {"name": "Disk above 90 % used", "expression": "last(disk_used) / last(disk_capacity) * 100 > 90", "severity": "warning", "for_duration": 600},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
