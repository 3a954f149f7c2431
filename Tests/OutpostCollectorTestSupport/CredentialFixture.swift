import Foundation
import Logging
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO

/// Two branches with devices, SNMP credentials sealed under a master key and template items.
struct CredentialFixture {
    static let logger = Logger(label: "outpost.test.credentials")

    let key: MasterKey
    let branchA = UUID()
    let branchB = UUID()
    /// Branch A: a v2c router and a v3 switch. Branch B: a v2c firewall.
    let routerA = UUID()
    let switchA = UUID()
    let firewallB = UUID()

    static let communityA = "alpha-community-7Qx"
    static let authKeyA = "alpha-auth-pass-9Zk"
    static let privKeyA = "alpha-priv-pass-4Wm"
    static let communityB = "bravo-community-3Jd"
    /// Every secret, for log and payload greps.
    static let secrets = [communityA, authKeyA, privKeyA, communityB]

    init(db: PostgresConnection, key: MasterKey = .generate()) async throws {
        self.key = key
        for (id, name) in [(branchA, "branch-a"), (branchB, "branch-b")] {
            try await Fixture.branch(name, id: id, on: db)
        }
        for (id, name, vendor, branch) in [
            (routerA, "router-a", "Cisco", branchA), (switchA, "switch-a", "Cisco", branchA),
            (firewallB, "firewall-b", "Fortinet", branchB),
        ] {
            try await Fixture.device(name, ip: "127.0.0.1", branch: branch, vendor: vendor, id: id, on: db)
        }
        try await setCredential(.community(Self.communityA), device: routerA, db: db)
        try await setCredential(
            SNMPCredential(
                version: .v3, user: "monitor", authProtocol: "SHA-256", authKey: Self.authKeyA,
                privProtocol: "AES", privKey: Self.privKeyA), device: switchA, db: db)
        try await setCredential(.community(Self.communityB), device: firewallB, db: db)
        let templates = TemplateStore(logger: Self.logger)
        _ = try await templates.importTemplates(try BuiltinTemplates.all(), builtin: true, by: .commandLine(), on: db)
        _ = try await templates.apply("Cisco IOS/IOS-XE", to: .matching, by: .commandLine(), on: db)
        _ = try await templates.apply("FortiGate", to: .matching, by: .commandLine(), on: db)
    }

    func setCredential(_ credential: SNMPCredential, device: UUID, db: PostgresConnection) async throws {
        try await CredentialStore(logger: Self.logger).replaceSNMPCredential(
            try key.seal(credential, id: UUID(), device: device), by: .commandLine(), on: db)
    }

    /// Runs `body` with a running client pool on `database`.
    static func withClient<T: Sendable>(
        _ database: TestDatabase, logger: Logger = logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
