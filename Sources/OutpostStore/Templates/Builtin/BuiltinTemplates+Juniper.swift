extension BuiltinTemplates {
    /// Juniper Junos: JUNIPER-MIB jnxOperatingTable (CPU, memory buffer, temperature), IF-MIB.
    static let juniper = #"""
    {
      "name": "Juniper",
      "description": "Juniper Junos routers, switches and SRX: CPU, memory and temperature per component (JUNIPER-MIB jnxOperatingTable; 0 where a component has none), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "Juniper",
      "match_vendors": ["Juniper Networks"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu", "oid_name": "jnxOperatingCPU", "oid": "1.3.6.1.4.1.2636.3.1.13.1.8", "interval": 60, "value_type": "gauge32", "units": "%", "is_table": true},
        {"name": "memory", "oid_name": "jnxOperatingBuffer", "oid": "1.3.6.1.4.1.2636.3.1.13.1.11", "interval": 300, "value_type": "gauge32", "units": "%", "is_table": true},
        {"name": "temperature", "oid_name": "jnxOperatingTemp", "oid": "1.3.6.1.4.1.2636.3.1.13.1.7", "interval": 300, "value_type": "gauge32", "units": "°C", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true},
        {"name": "if_in_errors", "oid_name": "ifInErrors", "oid": "1.3.6.1.2.1.2.2.1.14", "interval": 300, "value_type": "counter32", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 %", "expression": "avg(cpu, 5m) > 90", "severity": "high", "for_duration": 300},
        {"name": "Memory above 90 %", "expression": "last(memory) > 90", "severity": "warning", "for_duration": 600},
        {"name": "Temperature above 70 °C", "expression": "last(temperature) > 70", "severity": "high", "for_duration": 300},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
