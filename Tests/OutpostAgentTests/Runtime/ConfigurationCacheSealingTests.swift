import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import OutpostWire
import Testing

@testable import OutpostAgent

@Suite("Configuration cache sealed with the agent's key")
struct ConfigurationCacheSealingTests {
    static let community = "branch-community-K7p"

    @Test(
        "credentials are encrypted on disk, read back with the same key, refused with another key or none; plain legacy files still load"
    )
    func sealedOnDisk() async throws {
        try await withTemporaryDirectory("config-sealed") { directory in
            let path = directory + "/config.json"
            let agentKey = P256Key.generate()
            let device = AgentConfiguration.Device(
                id: UUID(), name: "router", address: "127.0.0.1", snmp: .community(Self.community))
            let snapshot = ConfigSnapshot(version: "v1", payload: try AgentConfiguration(devices: [device]).encoded())

            // A file written before sealing (plain payload) still loads; the next snapshot replaces it sealed.
            _ = try ConfigurationCache(path: path).adopt(snapshot)
            #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"payload\""))
            let cache = try ConfigurationCache(stateDirectory: directory, agentKey: agentKey)
            #expect(try cache.storedConfiguration()?.devices == [device])
            _ = try cache.adopt(snapshot)

            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\"sealed\"") && !text.contains("\"payload\""))
            let raw = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(raw.range(of: Data(Self.community.utf8)) == nil)
            #expect(
                !text.contains(Array(Self.community.utf8).map(String.init).joined(separator: ",")),
                "not even as a JSON byte array")

            #expect(
                try ConfigurationCache(stateDirectory: directory, agentKey: agentKey).storedConfiguration()?.devices
                    .first?
                    .snmp
                    == .community(Self.community))
            #expect(throws: (any Error).self) {
                try ConfigurationCache(stateDirectory: directory, agentKey: P256Key.generate())
            }
            #expect(throws: (any Error).self) { try ConfigurationCache(path: path) }
            // The version is bound to the payload: a swapped version does not open.
            let swapped = text.replacingOccurrences(of: "\"version\":\"v1\"", with: "\"version\":\"v2\"")
            #expect(swapped != text)
            try swapped.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: (any Error).self) { try ConfigurationCache(stateDirectory: directory, agentKey: agentKey) }
        }
    }
}
