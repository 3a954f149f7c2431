import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// Alerts: `/api/v1/alerts` (open and past, filtered, a cursor page), `/api/v1/alerts/{id}`,
/// and the technician's actions `/api/v1/alerts/{id}/acknowledge` and `/resolve` with a
/// comment. A regional manager sees and acts on the alerts of their regions only.
struct AlertRoutes: Sendable {
    struct Action: Decodable {
        let comment: String?
    }

    static let severities = ["critical", "high", "warning", "medium", "low", "info"]

    let logger: Logger

    func register(on api: ManagementAPI) {
        let desk = AlertDesk(logger: logger)
        api.on(.get, "alerts", .read) { request, _, user in
            let options = QueryOptions(request)
            var filter = AlertFilter()
            filter.open = try options.boolean("open")
            filter.branch = try options.text("branch", maximumLength: 200)
            filter.regions = user.principal.regionScope
            if let region = try options.text("region", maximumLength: 100) {
                filter.regions = filter.regions.map { $0.intersection([region]) } ?? [region]
            }
            filter.deviceID = try options.uuid("device")
            if let severity = try options.text("severity", maximumLength: 100) {
                let values = severity.split(separator: ",").map(String.init)
                guard values.allSatisfy(Self.severities.contains) else {
                    throw APIError.badRequest(
                        "comma-separated among \(Self.severities.joined(separator: ", "))", field: "severity")
                }
                filter.severity = values
            }
            filter.since = try options.date("since")
            filter.until = try options.date("until")
            filter.limit = try options.integer("limit", in: 1...1000) ?? 100
            filter.cursor = try options.text("cursor", maximumLength: 1000)
            return JSONResponse.make(try await user.run { [filter] in try await desk.list(filter, on: $0) })
        }
        api.on(.get, "alerts/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            return JSONResponse.make(try await user.run { try await reachable(id, desk, user, on: $0) })
        }
        for (action, path) in [("acknowledge", "alerts/{id}/acknowledge"), ("resolve", "alerts/{id}/resolve")] {
            api.on(.post, path, .operateAlerts) { request, context, user in
                let id = try context.parameters.uuid("id")
                let comment = try await RequestBody.decode(Action.self, from: request).comment
                let result = try await user.run { connection in
                    _ = try await reachable(id, desk, user, on: connection)
                    return action == "acknowledge"
                        ? try await desk.acknowledge(
                            id: id, comment: comment, by: user.principal.userID, actor: user.actor, on: connection)
                        : try await desk.resolve(
                            id: id, comment: comment, by: user.principal.userID, actor: user.actor, on: connection)
                }
                switch result {
                case .notFound: throw APIError.notFound("no alert \(id.uuidString.lowercased())")
                case .alreadyDone: throw APIError.conflict("alert \(id.uuidString.lowercased()) was already \(action)d")
                default:
                    return JSONResponse.make(try await user.run { try await reachable(id, desk, user, on: $0) })
                }
            }
        }
    }

    /// The alert `id` if the operator reaches its region, else 404.
    private func reachable(
        _ id: UUID, _ desk: AlertDesk, _ user: ManagementAPI.Operator, on connection: PostgresConnection
    ) async throws -> AlertView {
        guard let alert = try await desk.alert(id: id, on: connection),
            AccessPolicy.reaches(user.principal, region: alert.region)
        else { throw APIError.notFound("no alert \(id.uuidString.lowercased())") }
        return alert
    }
}
