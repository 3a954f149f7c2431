import Foundation
import OutpostCore
import OutpostTestSupport
import OutpostWire
import Testing

@testable import OutpostAgent

@Suite("Configuration cache")
struct ConfigurationCacheTests {
    static func snapshot(_ devices: [AgentConfiguration.Device], version: String) throws -> ConfigSnapshot {
        ConfigSnapshot(version: version, payload: try AgentConfiguration(devices: devices).encoded())
    }

    @Test("a snapshot is persisted 0600 and found again after a restart; garbage is refused and changes nothing")
    func persistsAcrossRestarts() async throws {
        try await withTemporaryDirectory("config") { directory in
            let path = directory + "/config.json"

            let cache = try ConfigurationCache(path: path)
            #expect(cache.version == nil && cache.configuration == nil)
            let device = AgentConfiguration.Device(id: UUID(), name: "router", address: "127.0.0.1")
            _ = try cache.adopt(try Self.snapshot([device], version: "v1"))
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.int16Value == 0o600)

            // Replacing an existing file works too.
            let second = AgentConfiguration.Device(id: UUID(), name: "switch", address: "127.0.0.2")
            _ = try cache.adopt(try Self.snapshot([device, second], version: "v2"))

            #expect(throws: (any Error).self) {
                try cache.adopt(ConfigSnapshot(version: "v3", payload: Array("not json".utf8)))
            }
            #expect(cache.version == "v2")

            let restarted = try ConfigurationCache(path: path)
            #expect(restarted.version == "v2")
            #expect(restarted.configuration?.devices == [device, second])
        }
    }
}
