import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: who may call what", .tags(.postgres), .needsPostgres)
struct AccessControlTests {
    @Test("every route answers 401 without credentials, except login")
    func unauthenticated() async throws {
        let routes = try ManagementRouteTable.routes()
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            for route in routes where route.permission != nil {
                let reply = try await http.send(
                    route.method, ManagementRouteTable.concretePath(route), json: ManagementRouteTable.body(route))
                #expect(reply.status == 401, "\(route.method) \(route.path): \(reply.status) \(reply.text)")
            }
            let forged = try await http.with(token: "opt_forged").get("/api/v1/session")
            #expect(forged.status == 401)
        }
    }

    @Test("each role × each route: forbidden (403) exactly where the policy says so")
    func roleMatrix() async throws {
        let routes = try ManagementRouteTable.routes()
        #expect(routes.count >= 10)
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            for role in OperatorRole.allCases {
                let account = try await OperatorAccounts.add(
                    "as-\(role.rawValue)", role: role, regions: role == .regionalManager ? ["Kakheti"] : [], on: db)
                let client = http.with(token: account.token)
                for route in routes {
                    guard let permission = route.permission else { continue }
                    let reply = try await client.send(
                        route.method, ManagementRouteTable.concretePath(route), json: ManagementRouteTable.body(route))
                    let allowed = AccessPolicy.allows(role, permission)
                    if allowed {
                        #expect(
                            reply.status != 403 && reply.status != 401,
                            "\(role) \(route.method) \(route.path): \(reply.status) \(reply.text)")
                    } else {
                        #expect(reply.status == 403, "\(role) \(route.method) \(route.path): \(reply.status)")
                        #expect(try reply.json()["error"] as? String != nil)
                    }
                }
            }
        }
    }

    @Test("the policy: viewers read, technicians also operate alerts and jobs, managers edit devices, admins all")
    func policy() {
        #expect(AccessPolicy.permissions(of: .viewer) == [.read])
        #expect(AccessPolicy.permissions(of: .technician) == [.read, .operateAlerts, .runJobs])
        #expect(AccessPolicy.permissions(of: .regionalManager) == [.read, .operateAlerts, .runJobs, .editDevices])
        #expect(AccessPolicy.permissions(of: .admin) == Set(Permission.allCases))
        let manager = OperatorPrincipal(userID: 1, username: "m", role: .regionalManager, regions: ["Kakheti"])
        #expect(AccessPolicy.reaches(manager, region: "Kakheti"))
        #expect(!AccessPolicy.reaches(manager, region: "Imereti"))
        #expect(!AccessPolicy.reaches(manager, region: nil))
        let admin = OperatorPrincipal(userID: 2, username: "a", role: .admin, regions: [])
        #expect(AccessPolicy.reaches(admin, region: nil))
    }

    @Test("a regional manager's reads are limited to their regions")
    func regionScope() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await db.query(
                """
                INSERT INTO branches (name, display_name, region) VALUES
                    ('telavi-1', 'Telavi 1', 'Kakheti'), ('kutaisi-1', 'Kutaisi 1', 'Imereti'), ('nowhere', 'Nowhere', NULL)
                """, logger: TestDatabase.logger)
            let manager = try await OperatorAccounts.add(
                "kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
            let viewer = try await OperatorAccounts.add("viewer", role: .viewer, on: db)
            let managed = try await http.with(token: manager.token).get("/api/v1/status/branches").list("branches")
            #expect(managed.compactMap { $0["name"] as? String } == ["telavi-1"])
            let all = try await http.with(token: viewer.token).get("/api/v1/status/branches").list("branches")
            #expect(Set(all.compactMap { $0["name"] as? String }) == ["telavi-1", "kutaisi-1", "nowhere"])
        }
    }
}
