import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// The read-only JSON API: `/api/agents`, `/api/branches`, `/api/devices[?branch=NAME]`, `/api/alerts`.
struct StatusAPIRoutes: Sendable {
    /// Longest branch name accepted in `?branch=` (`branches.name` is VARCHAR(200)).
    static let maximumBranchNameLength = 200

    let database: BoundedDatabaseAccess
    let sessions: SessionRegistry
    let timeout: Duration
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        let store = StatusStore(logger: logger)
        let sessions = self.sessions
        api.get("agents") { _, _ in
            await respond { connection in
                let agents = try await store.agents(on: connection)
                let connected = Set(sessions.connectedAgents.map(\.description))
                return APIListing(
                    name: "agents",
                    items: agents.map { ConnectedAgent(status: $0, connected: connected.contains($0.id)) })
            }
        }
        api.get("branches") { _, _ in
            await respond { APIListing(name: "branches", items: try await store.branches(on: $0)) }
        }
        api.get("devices") { request, _ in
            let branch = request.uri.queryParameters["branch"].map(String.init)
            if let branch, branch.isEmpty || branch.count > Self.maximumBranchNameLength {
                return JSONResponse.error(
                    "branch: expected a branch name of 1 to \(Self.maximumBranchNameLength) characters",
                    status: .badRequest)
            }
            return await respond { APIListing(name: "devices", items: try await store.devices(branch: branch, on: $0)) }
        }
        api.get("alerts") { _, _ in
            await respond { APIListing(name: "alerts", items: try await store.openAlerts(on: $0)) }
        }
    }

    /// The JSON of `query`'s result; 404 for a name that does not exist, 503 when PostgreSQL
    /// fails or does not answer in time (details in the log, not the response).
    private func respond(_ query: @escaping @Sendable (PostgresConnection) async throws -> some Encodable & Sendable)
        async -> Response
    {
        do {
            return JSONResponse.make(try await database.run(timeout: timeout, query))
        } catch let failure as StatusStore.Failure {
            return JSONResponse.error(failure.description, status: .notFound)
        } catch let timedOut as BoundedDatabaseAccess.TimedOut {
            return JSONResponse.error("database unavailable: \(timedOut)", status: .serviceUnavailable)
        } catch {
            logger.warning("operator API query failed", metadata: ["error": "\(String(reflecting: error))"])
            return JSONResponse.error(
                "database unavailable: the query failed (details in the collector's log)", status: .serviceUnavailable)
        }
    }
}
