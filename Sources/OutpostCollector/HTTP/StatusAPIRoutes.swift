import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// The state views of the management API: `/api/v1/agents`, `/api/v1/status/branches`,
/// `/api/v1/status/devices[?branch=NAME]` and `/api/v1/status/alerts` (open alerts), limited
/// to a regional manager's regions.
struct StatusAPIRoutes: Sendable {
    /// Longest branch name accepted in `?branch=` (`branches.name` is VARCHAR(200)).
    static let maximumBranchNameLength = 200

    let sessions: SessionRegistry
    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = StatusStore(logger: logger)
        let sessions = self.sessions
        api.on(.get, "agents", .read) { _, _, user in
            try await respond(user) { connection, reachable in
                let agents = try await store.agents(on: connection).filter { reachable($0.branch) }
                let connected = Set(sessions.connectedAgents.map(\.description))
                return APIListing(
                    name: "agents",
                    items: agents.map { ConnectedAgent(status: $0, connected: connected.contains($0.id)) })
            }
        }
        api.on(.get, "status/branches", .read) { _, _, user in
            try await respond(user) { connection, reachable in
                APIListing(
                    name: "branches", items: try await store.branches(on: connection).filter { reachable($0.name) })
            }
        }
        api.on(.get, "status/devices", .read) { request, _, user in
            let branch = request.uri.queryParameters["branch"].map(String.init)
            if let branch, branch.isEmpty || branch.count > Self.maximumBranchNameLength {
                throw APIError.badRequest(
                    "expected a branch name of 1 to \(Self.maximumBranchNameLength) characters", field: "branch")
            }
            return try await respond(user) { connection, reachable in
                APIListing(
                    name: "devices",
                    items: try await store.devices(branch: branch, on: connection).filter { reachable($0.branch) })
            }
        }
        api.on(.get, "status/alerts", .read) { _, _, user in
            try await respond(user) { connection, reachable in
                APIListing(
                    name: "alerts", items: try await store.openAlerts(on: connection).filter { reachable($0.branch) })
            }
        }
    }

    /// The JSON of `query`'s result, given which branch names the operator reaches; 404 for a
    /// name that does not exist.
    private func respond(
        _ user: ManagementAPI.Operator,
        _ query:
            @escaping @Sendable (PostgresConnection, @Sendable (String?) -> Bool) async throws -> some Encodable
            & Sendable
    ) async throws -> Response {
        let scope = user.principal.regionScope
        let logger = self.logger
        do {
            return JSONResponse.make(
                try await user.run { connection in
                    guard let scope else { return try await query(connection, { _ in true }) }
                    let rows = try await connection.query(
                        "SELECT name FROM branches WHERE region = ANY(\(Array(scope)))", logger: logger)
                    var names: Set<String> = []
                    for try await name in rows.decode(String.self) { names.insert(name) }
                    let reachable = names
                    return try await query(connection, { $0.map(reachable.contains) ?? false })
                })
        } catch let failure as StatusStore.Failure {
            throw APIError.notFound(failure.description)
        }
    }
}
