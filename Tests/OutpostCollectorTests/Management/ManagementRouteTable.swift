import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

@testable import OutpostCollector

/// The management API's routes as the server registers them (nothing is served or queried).
enum ManagementRouteTable {
    static func routes() throws -> [ManagementRoute] {
        let url = try DatabaseURL("postgres://outpost@127.0.0.1:1/unused")
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: Logger(label: "unused"))
        return ManagementRoutes(
            configuration: OperatorHTTPConfiguration(), database: BoundedDatabaseAccess(client: client),
            sessions: SessionRegistry(), logger: Logger(label: "unused")
        ).register(on: Router(context: OperatorRequestContext.self))
    }

    /// `route`'s path with each `{parameter}` replaced by a value that names nothing.
    static func concretePath(_ route: ManagementRoute) -> String {
        route.path.replacing(/\{(\w+)\}/) { match in
            match.1 == "username" ? "nobody-here" : "00000000-0000-4000-8000-000000000000"
        }
    }

    /// An empty JSON object for methods that carry a body, none for the others.
    static func body(_ route: ManagementRoute) -> [String: Any]? {
        ["POST", "PUT", "PATCH"].contains(route.method) ? [:] : nil
    }
}
