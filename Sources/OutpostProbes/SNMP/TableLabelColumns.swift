/// The column that names the rows of a known table, walked with a table item so its samples
/// carry a label (`docs/interfaces.md`, "Instances and labels").
enum TableLabelColumns {
    /// Table entry OID → the column whose value labels each row of that entry.
    private static let labelColumnOfEntry: [String: String] = [
        // IF-MIB ifEntry and ifXEntry: ifDescr ("GigabitEthernet0/1") names an interface.
        "1.3.6.1.2.1.2.2.1": "1.3.6.1.2.1.2.2.1.2",
        "1.3.6.1.2.1.31.1.1.1": "1.3.6.1.2.1.2.2.1.2",
        // CISCO-MEMORY-POOL-MIB ciscoMemoryPoolEntry: ciscoMemoryPoolName.
        "1.3.6.1.4.1.9.9.48.1.1.1": "1.3.6.1.4.1.9.9.48.1.1.1.2",
        // CISCO-ENVMON-MIB ciscoEnvMonTemperatureStatusEntry: ciscoEnvMonTemperatureStatusDescr.
        "1.3.6.1.4.1.9.9.13.1.3.1": "1.3.6.1.4.1.9.9.13.1.3.1.2",
    ]

    /// The label column of `column` (a column OID without a leading dot), when its table is known.
    static func labelColumn(of column: String) -> String? {
        guard let lastDot = column.lastIndex(of: ".") else { return nil }
        return labelColumnOfEntry[String(column[..<lastDot])]
    }
}

/// The 32-bit IF-MIB counters that stand in for the 64-bit (HC) ones on devices without ifXTable
/// counters (`docs/interfaces.md`, "Counters").
enum CounterFallbackColumns {
    private static let thirtyTwoBitOf: [String: String] = [
        "1.3.6.1.2.1.31.1.1.1.6": "1.3.6.1.2.1.2.2.1.10",  // ifHCInOctets → ifInOctets
        "1.3.6.1.2.1.31.1.1.1.7": "1.3.6.1.2.1.2.2.1.11",  // ifHCInUcastPkts → ifInUcastPkts
        "1.3.6.1.2.1.31.1.1.1.10": "1.3.6.1.2.1.2.2.1.16",  // ifHCOutOctets → ifOutOctets
        "1.3.6.1.2.1.31.1.1.1.11": "1.3.6.1.2.1.2.2.1.17",  // ifHCOutUcastPkts → ifOutUcastPkts
    ]

    /// The 32-bit column read instead of `column` when the device has no rows under it.
    static func thirtyTwoBit(of column: String) -> String? { thirtyTwoBitOf[column] }
}
