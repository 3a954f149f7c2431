import Foundation
import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO

/// What an import is told: the legacy's Fernet keys, Outpost's master key, the retention the
/// ping history is sorted by, `--since`, and whether to write at all.
public struct LegacyImportOptions: Sendable {
    public var fernetKeys: [FernetKey]
    public var masterKey: MasterKey?
    public var dryRun: Bool
    public var now: Date
    public var since: TimeInterval?
    public var rawRetentionDays: Int
    public var minuteRollupRetentionDays: Int
    public var hourRollupRetentionDays: Int
    /// Who the audit log names.
    public var actor: AuditActor
    /// Ping rows per committed batch (the unit a killed import resumes from).
    public var pingBatchSize: Int

    public init(
        fernetKeys: [FernetKey], masterKey: MasterKey?, dryRun: Bool = false, now: Date = Date(),
        since: TimeInterval? = nil, rawRetentionDays: Int = 7, minuteRollupRetentionDays: Int = 90,
        hourRollupRetentionDays: Int = 730, actor: AuditActor = .commandLine(), pingBatchSize: Int = 50_000
    ) {
        self.pingBatchSize = max(1, pingBatchSize)
        self.fernetKeys = fernetKeys
        self.masterKey = masterKey
        self.dryRun = dryRun
        self.now = now
        self.since = since
        self.rawRetentionDays = rawRetentionDays
        self.minuteRollupRetentionDays = minuteRollupRetentionDays
        self.hourRollupRetentionDays = hourRollupRetentionDays
        self.actor = actor
    }
}

/// Imports a legacy WARD OPS database into Outpost, in dependency order (branches, devices,
/// SNMP credentials and the communities kept on devices, users, templates, alert rules, alerts, discovery rules, ping history),
/// verifying every table it wrote (docs/legacy-import.md). Idempotent and resumable: rows are
/// keyed by their legacy ids (`legacy_import_map`), the ping history by its progress row.
public struct LegacyImporter: Sendable {
    let logger: Logger
    let source: any LegacySource
    let connection: PostgresConnection
    let options: LegacyImportOptions
    let progress: LegacyProgress

    public init(
        source: any LegacySource, connection: PostgresConnection, options: LegacyImportOptions,
        progress: LegacyProgress, logger: Logger
    ) {
        self.source = source
        self.connection = connection
        self.options = options
        self.progress = progress
        self.logger = logger
    }

    /// Runs the import (or, with `dryRun`, everything but the writes) and returns the report.
    /// A Fernet token no key opens stops the import before anything is written.
    public func run() async throws -> LegacyImportReport {
        var report = LegacyImportReport(source: source.description, dryRun: options.dryRun)
        let opener = LegacySecretOpener(keys: options.fernetKeys)
        let credentials = try await source.rows(
            of: "snmp_credentials", columns: CredentialMapping.columns, orderBy: "created_at")
        let discoveryCredentials = try await source.rows(
            of: "discovery_credentials", columns: ["id"] + CredentialMapping.secretColumns, orderBy: "id")
        try opener.check(credentials + discoveryCredentials, columns: CredentialMapping.secretColumns)
        let deviceCommunities = try await source.rows(
            of: "standalone_devices", columns: ["id", "snmp_community"], orderBy: "id"
        ).filter { !($0.text("snmp_community") ?? "").isEmpty }
        try opener.check(deviceCommunities, columns: ["snmp_community"])
        if !options.dryRun, options.masterKey == nil, !credentials.isEmpty || !deviceCommunities.isEmpty {
            throw LegacySourceError(description: "the legacy has SNMP credentials: Outpost's master key is needed")
        }
        var context = LegacyImportContext(masterKey: options.masterKey, fernetKeys: options.fernetKeys)
        try await loadGeography(into: &context)
        let steps = LegacyTableSteps(
            logger: logger, source: source, connection: connection, dryRun: options.dryRun, progress: progress)
        try await steps.branches(&context, &report)
        let devices = try await steps.devices(&context, &report)
        try await steps.credentials(credentials, opener: opener, &context, &report)
        try await steps.deviceCommunities(devices, opener: opener, &context, &report)
        try await steps.users(&context, &report)
        try await steps.templates(&context, &report, actor: options.actor)
        try await steps.alertRules(&context, &report)
        try await steps.alerts(&context, &report)
        try await steps.discoveryRules(&context, &report)
        let pings = PingHistoryImport(
            logger: logger, source: source, connection: options.dryRun ? nil : connection, context: context,
            limits: .init(
                now: options.now, rawRetentionDays: options.rawRetentionDays,
                minuteRollupRetentionDays: options.minuteRollupRetentionDays,
                hourRollupRetentionDays: options.hourRollupRetentionDays, since: options.since,
                batchSize: options.pingBatchSize),
            progress: progress)
        try await pings.run(into: &report)
        report.timeZones = [
            BranchMapping.timeZones, DeviceMapping.timeZones, CredentialMapping.timeZones, UserMapping.timeZones,
            AlertRuleMapping.timeZones, AlertHistoryMapping.timeZones, DiscoveryRuleMapping.timeZones,
            [("ping_results.timestamp", .utc)],
        ].flatMap { $0 }.map { (column: $0.0, zone: $0.1) }
        if !options.dryRun {
            var changes: [String: AuditEntry.Change] = [:]
            for table in report.tables {
                changes[table.legacy] = .init(before: nil, after: .integer(Int64(table.imported - table.unchanged)))
            }
            try await AuditLog(logger: logger).append(
                AuditEntry(
                    action: "import", entity: "legacy", entityID: String(source.description.prefix(100)),
                    changes: changes),
                by: options.actor, on: connection)
        }
        return report
    }

    private func loadGeography(into context: inout LegacyImportContext) async throws {
        let regions = try await connection.query("SELECT name_en FROM georgian_regions", logger: logger)
        for try await name in regions.decode(String.self) { context.regions[name.lowercased()] = name }
        let cities = try await connection.query(
            """
            SELECT c.id, c.name_en, c.name_ka, r.name_en FROM georgian_cities c JOIN georgian_regions r ON r.id = c.region_id
            """, logger: logger)
        for try await (id, name, nameKa, region) in cities.decode((Int32, String, String?, String).self) {
            context.cities.append(LegacyCity(id: Int(id), name: name, nameKa: nameKa, region: region))
        }
    }
}
