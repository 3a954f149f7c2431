import Hummingbird
import Logging
import OutpostPKI

/// Every route family of `/api/v1`, registered on one router.
struct ManagementRoutes: Sendable {
    let configuration: OperatorHTTPConfiguration
    let database: BoundedDatabaseAccess
    let sessions: SessionRegistry
    let logger: Logger
    /// Seals SNMP credentials; without it the credential routes answer 503.
    var masterKey: MasterKey? = nil

    /// Registers the routes; returns them as registered (method, path, permission).
    @discardableResult
    func register(on router: Router<OperatorRequestContext>) -> [ManagementRoute] {
        let api = ManagementAPI(router: router, database: database, configuration: configuration, logger: logger)
        let hasher = PasswordHasher(cost: configuration.passwordCost)
        SessionRoutes(
            database: database, configuration: configuration, hasher: hasher,
            throttle: LoginThrottle(
                burst: configuration.loginFailuresPerSource.burst,
                perMinute: configuration.loginFailuresPerSource.perMinute), logger: logger
        ).register(on: router, api: api)
        StatusAPIRoutes(sessions: sessions, logger: logger).register(on: api)
        UserRoutes(hasher: hasher, logger: logger).register(on: api)
        AuditRoutes(logger: logger).register(on: api)
        DeviceRoutes(logger: logger).register(on: api)
        DeviceCSVRoutes(logger: logger).register(on: api)
        MaintenanceRoutes(logger: logger).register(on: api)
        BranchRoutes(logger: logger).register(on: api)
        AlertRoutes(logger: logger).register(on: api)
        AlertRuleRoutes(logger: logger).register(on: api)
        CredentialRoutes(masterKey: masterKey, logger: logger).register(on: api)
        TemplateRoutes(logger: logger).register(on: api)
        DiscoveryRoutes(logger: logger).register(on: api)
        DiagnosticRoutes(logger: logger).register(on: api)
        SettingRoutes(logger: logger).register(on: api)
        HistoryRoutes(logger: logger).register(on: api)
        ReportRoutes(logger: logger).register(on: api)
        BaselineRoutes(logger: logger).register(on: api)
        InterfaceRoutes(logger: logger).register(on: api)
        TopologyRoutes(logger: logger).register(on: api)
        return api.routes
    }
}
