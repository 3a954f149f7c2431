extension BuiltinTemplates {
    /// Cisco IOS / IOS-XE: CISCO-PROCESS-MIB, CISCO-MEMORY-POOL-MIB, CISCO-ENVMON-MIB, IF-MIB.
    static let ciscoIOS = #"""
    {
      "name": "Cisco IOS/IOS-XE",
      "description": "Cisco IOS and IOS-XE routers and switches: CPU (CISCO-PROCESS-MIB), memory pools (CISCO-MEMORY-POOL-MIB), temperature (CISCO-ENVMON-MIB), interfaces (IF-MIB). Uptime in 1/100 s.",
      "vendor": "Cisco",
      "match_vendors": ["Cisco Systems", "ciscoSystems"],
      "device_types": [],
      "items": [
        {"name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300, "value_type": "timeticks", "units": "cs"},
        {"name": "cpu_1min", "oid_name": "cpmCPUTotal1minRev", "oid": "1.3.6.1.4.1.9.9.109.1.1.1.1.7", "interval": 60, "value_type": "gauge32", "units": "%", "is_table": true},
        {"name": "cpu_5min", "oid_name": "cpmCPUTotal5minRev", "oid": "1.3.6.1.4.1.9.9.109.1.1.1.1.8", "interval": 60, "value_type": "gauge32", "units": "%", "is_table": true},
        {"name": "mem_pool_used", "oid_name": "ciscoMemoryPoolUsed", "oid": "1.3.6.1.4.1.9.9.48.1.1.1.5", "interval": 300, "value_type": "gauge32", "units": "B", "is_table": true},
        {"name": "mem_pool_free", "oid_name": "ciscoMemoryPoolFree", "oid": "1.3.6.1.4.1.9.9.48.1.1.1.6", "interval": 300, "value_type": "gauge32", "units": "B", "is_table": true},
        {"name": "temperature", "oid_name": "ciscoEnvMonTemperatureStatusValue", "oid": "1.3.6.1.4.1.9.9.13.1.3.1.3", "interval": 300, "value_type": "gauge32", "units": "°C", "is_table": true},
        {"name": "temperature_state", "oid_name": "ciscoEnvMonTemperatureState", "oid": "1.3.6.1.4.1.9.9.13.1.3.1.6", "interval": 300, "value_type": "integer", "is_table": true},
        {"name": "if_in_octets", "oid_name": "ifHCInOctets", "oid": "1.3.6.1.2.1.31.1.1.1.6", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_out_octets", "oid_name": "ifHCOutOctets", "oid": "1.3.6.1.2.1.31.1.1.1.10", "interval": 60, "value_type": "counter64", "units": "B", "is_table": true},
        {"name": "if_oper_status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8", "interval": 60, "value_type": "integer", "is_table": true},
        {"name": "if_in_errors", "oid_name": "ifInErrors", "oid": "1.3.6.1.2.1.2.2.1.14", "interval": 300, "value_type": "counter32", "is_table": true},
        {"name": "if_out_errors", "oid_name": "ifOutErrors", "oid": "1.3.6.1.2.1.2.2.1.20", "interval": 300, "value_type": "counter32", "is_table": true}
      ],
      "triggers": [
        {"name": "CPU above 90 % (5 min average)", "expression": "last(cpu_5min) > 90", "severity": "high", "for_duration": 300},
        {"name": "Memory pool above 90 % used", "expression": "last(mem_pool_used) / (last(mem_pool_used) + last(mem_pool_free)) * 100 > 90", "severity": "warning", "for_duration": 600},
        {"name": "Temperature above 70 °C", "expression": "last(temperature) > 70", "severity": "high", "for_duration": 300},
        {"name": "Temperature sensor critical or shut down", "expression": "last(temperature_state) >= 3", "severity": "critical", "for_duration": 0},
        {"name": "Interface down", "expression": "last(if_oper_status) == 2", "severity": "warning", "for_duration": 120},
        {"name": "Restarted in the last 10 minutes", "expression": "last(uptime) < 60000", "severity": "info", "for_duration": 0}
      ]
    }
    """#
}
