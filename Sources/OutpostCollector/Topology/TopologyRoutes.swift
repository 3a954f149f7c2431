import Foundation
import Hummingbird
import Logging
import OutpostStore

/// A branch's LLDP/CDP topology (`docs/topology.md`): `GET /api/v1/topology?branch=` (a branch
/// name or id) answers its nodes (the branch's devices, each with its parent in the dependency
/// tree, and neighbours no known device matched) and its active edges. A regional manager
/// reaches only branches of their regions: others answer 404.
struct TopologyRoutes: Sendable {
    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = TopologyStore(logger: logger)
        let directory = BranchDirectory(logger: logger)
        api.on(.get, "topology", .read) { request, _, user in
            guard let key = try QueryOptions(request).text("branch") else {
                throw APIError.badRequest("a branch name or id is required", field: "branch")
            }
            let graph = try await user.run { connection in
                var found: BranchRecord? = nil
                if let id = UUID(uuidString: key) { found = try await directory.branch(id: id, on: connection) }
                if found == nil { found = try await directory.branch(name: key, on: connection) }
                guard let branch = found, AccessPolicy.reaches(user.principal, region: branch.region),
                    let graph = try await store.graph(branch: branch.id, on: connection)
                else { throw APIError.notFound("no branch \(key)") }
                return graph
            }
            return JSONResponse.make(graph)
        }
    }
}
