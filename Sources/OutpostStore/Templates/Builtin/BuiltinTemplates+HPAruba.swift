extension BuiltinTemplates {
    /// HP ProCurve / Aruba (ArubaOS-Switch): STATISTICS-MIB CPU, NETSWITCH-MIB memory,
    /// ENTITY-SENSOR-MIB sensors, IF-MIB.
    static let hpAruba = #"""
    {
      "name": "HP/Aruba",
      "description": "HP ProCurve and Aruba (ArubaOS-Switch) switches: CPU (STATISTICS-MIB hpSwitchCpuStat), memory per slot (NETSWITCH-MIB hpLocalMem*), sensors (ENTITY-SENSOR-MIB entPhySensorValue), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "HP",
      "match_vendors": ["HPE", "Hewlett-Packard", "Hewlett Packard Enterprise", "Aruba", "ProCurve"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu", "oid_name": "hpSwitchCpuStat", "oid": "1.3.6.1.4.1.11.2.14.11.5.1.9.6.1.0", "interval": 60, "value_type": "integer", "units": "%"},
        {"name": "mem_total", "oid_name": "hpLocalMemTotalBytes", "oid": "1.3.6.1.4.1.11.2.14.11.5.1.1.2.1.1.1.5", "interval": 3600, "value_type": "integer", "units": "B", "is_table": true},
        {"name": "mem_free", "oid_name": "hpLocalMemFreeBytes", "oid": "1.3.6.1.4.1.11.2.14.11.5.1.1.2.1.1.1.6", "interval": 300, "value_type": "integer", "units": "B", "is_table": true},
        {"name": "sensor_value", "oid_name": "entPhySensorValue", "oid": "1.3.6.1.2.1.99.1.1.1.4", "interval": 300, "value_type": "integer", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true},
        {"name": "if_in_errors", "oid_name": "ifInErrors", "oid": "1.3.6.1.2.1.2.2.1.14", "interval": 300, "value_type": "counter32", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 %", "expression": "avg(cpu, 5m) > 90", "severity": "high", "for_duration": 300},
        {"name": "Memory above 90 % used", "expression": "(1 - last(mem_free) / last(mem_total)) * 100 > 90", "severity": "warning", "for_duration": 600},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
