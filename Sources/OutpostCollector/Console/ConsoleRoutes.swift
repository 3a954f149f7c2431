import Hummingbird
import Logging
import OutpostConsole

/// The web console on the operator HTTP port: its static files, the login page, and every page
/// behind the login. Pages read through the stores; every change an operator makes goes
/// through the management API (the page's script calls it), so the API's permissions and
/// audit apply unchanged.
struct ConsoleRoutes: Sendable {
    let configuration: OperatorHTTPConfiguration
    let database: BoundedDatabaseAccess
    let events: ConsoleBroadcaster
    let logger: Logger

    func register(on router: Router<OperatorRequestContext>) {
        StaticRoutes().register(on: router)
        router.get("login") { request, _ -> Response in
            HTMLResponse.page(LoginPage(next: request.uri.queryParameters["next"].map(String.init)))
        }
        let site = ConsoleSite(router: router, database: database, configuration: configuration, logger: logger)
        OverviewPageRoute(logger: logger).register(on: site)
        DevicesPageRoute(logger: logger).register(on: site)
        DevicePageRoute(logger: logger).register(on: site)
        BranchesPageRoute(logger: logger).register(on: site)
        BranchPageRoute(logger: logger).register(on: site)
        MapPageRoute(logger: logger).register(on: site)
        AlertsPageRoute(logger: logger).register(on: site)
        AgentsPageRoute(logger: logger).register(on: site)
        DiscoveryPageRoute(logger: logger).register(on: site)
        ReportsPageRoute(logger: logger).register(on: site)
        AdminPageRoute(logger: logger).register(on: site)
        ConsoleEventsRoute(events: events, configuration: configuration, database: database, logger: logger).register(
            on: router)
    }
}
