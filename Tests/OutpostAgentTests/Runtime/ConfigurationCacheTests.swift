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
            #expect(try cache.version == nil && cache.storedConfiguration() == nil)
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
            #expect(try restarted.storedConfiguration()?.devices == [device, second])
        }
    }

    @Test("the payload is stored as base64, about a third above its size; files with byte-value arrays still load")
    func compactOnDisk() async throws {
        try await withTemporaryDirectory("config-compact") { directory in
            let path = directory + "/config.json"
            let devices = (1...1_000).map {
                AgentConfiguration.Device(id: UUID(), name: "device-\($0)", address: "10.0.\($0 / 256).\($0 % 256)")
            }
            let snapshot = try Self.snapshot(devices, version: "v1")
            _ = try ConfigurationCache(path: path).adopt(snapshot)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(
                size < snapshot.payload.count * 3 / 2,
                "\(size) bytes on disk for a \(snapshot.payload.count)-byte payload")

            // The form earlier agents wrote: the payload as a JSON array of byte values.
            let legacy =
                "{\"version\":\"v0\",\"payload\":[\(snapshot.payload.map(String.init).joined(separator: ","))]}"
            try legacy.write(toFile: path, atomically: true, encoding: .utf8)
            let cache = try ConfigurationCache(path: path)
            #expect(cache.version == "v0")
            #expect(try cache.storedConfiguration()?.devices == devices)
        }
    }
}
