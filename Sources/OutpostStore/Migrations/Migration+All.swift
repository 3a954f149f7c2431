extension Migration {
    /// Every migration in application order. Append only: never edit or reorder an entry
    /// that has shipped (the runner refuses a database whose recorded checksum differs).
    public static let all: [Migration] = [
        .coreSchema,
        .seedGeorgianGeography,
        .dailyPartitions,
        .configChangeNotifications,
        .templateItems,
        .alertRulesNotify,
        .discovery,
        .alertStates,
        .deviceStateWrites,
        .ingestQuarantine,
        .agentCertificates,
        .operators,
        .deviceSearch,
        .branchGeography,
        .alertHistoryPaging,
        .historyRollups,
        .consoleNotify,
        .outageMinutes,
        .hourOfWeekBaselines,
        .diagnostics,
        .legacyImport,
        .interfaces,
        .traceNames,
        .topology,
        .agentHealth,
    ]
}
