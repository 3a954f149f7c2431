import Foundation
import OutpostCollector
import OutpostTestSupport
import Testing

/// `docs/openapi.json` is kept true: it documents exactly the routes the server registers, each
/// with the permission the server checks.
@Suite("docs/openapi.json matches the management API")
struct OpenAPIDocumentTests {
    static func operations() throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Harness.repositoryFile("docs/openapi.json")))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: [String: String] = [:]
        for (path, methods) in paths {
            for (method, operation) in methods where ["get", "post", "put", "patch", "delete"].contains(method) {
                let permission = (operation as? [String: Any])?["x-outpost-permission"] as? String ?? "(missing)"
                operations["\(method.uppercased()) \(path)"] = permission
            }
        }
        return operations
    }

    @Test("every registered route is documented with its permission, and nothing else is")
    func routesMatch() throws {
        let documented = try Self.operations()
        let registered = Dictionary(
            uniqueKeysWithValues: try ManagementRouteTable.routes().map {
                ("\($0.method) \($0.path)", $0.permission?.rawValue ?? "none")
            })
        #expect(Set(documented.keys).subtracting(registered.keys).sorted() == [], "documented, not served")
        #expect(Set(registered.keys).subtracting(documented.keys).sorted() == [], "served, not documented")
        for (route, permission) in registered.sorted(by: { $0.key < $1.key }) where documented[route] != nil {
            #expect(documented[route] == permission, "\(route)")
        }
    }
}
