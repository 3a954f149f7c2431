extension BuiltinTemplates {
    /// MikroTik RouterOS: MIKROTIK-MIB health, HOST-RESOURCES-MIB CPU and memory, IF-MIB.
    static let mikroTik = #"""
    {
      "name": "MikroTik RouterOS",
      "description": "MikroTik RouterOS: board and CPU temperature and voltage (MIKROTIK-MIB mtxrHealth, in tenths: 1/10 °C, 1/10 V; absent on boards without sensors), CPU load and memory (HOST-RESOURCES-MIB), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "MikroTik",
      "match_vendors": ["Mikrotikls", "RouterOS"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu", "oid_name": "hrProcessorLoad", "oid": "1.3.6.1.2.1.25.3.3.1.2", "interval": 60, "value_type": "integer", "units": "%", "is_table": true},
        {"name": "storage_size", "oid_name": "hrStorageSize", "oid": "1.3.6.1.2.1.25.2.3.1.5", "interval": 3600, "value_type": "integer", "is_table": true},
        {"name": "storage_used", "oid_name": "hrStorageUsed", "oid": "1.3.6.1.2.1.25.2.3.1.6", "interval": 300, "value_type": "integer", "is_table": true},
        {"name": "temperature", "oid_name": "mtxrHlTemperature", "oid": "1.3.6.1.4.1.14988.1.1.3.10.0", "interval": 300, "value_type": "integer", "units": "d°C"},
        {"name": "cpu_temperature", "oid_name": "mtxrHlProcessorTemperature", "oid": "1.3.6.1.4.1.14988.1.1.3.11.0", "interval": 300, "value_type": "integer", "units": "d°C"},
        {"name": "voltage", "oid_name": "mtxrHlVoltage", "oid": "1.3.6.1.4.1.14988.1.1.3.8.0", "interval": 300, "value_type": "integer", "units": "dV"},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 %", "expression": "avg(cpu, 5m) > 90", "severity": "high", "for_duration": 300},
        {"name": "Board temperature above 70 °C", "expression": "last(temperature) > 700", "severity": "high", "for_duration": 300},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
