import Foundation
import OutpostCollector
import OutpostPKI
import OutpostSettings
import Testing

@Suite("Where the collector finds its master key")
struct MasterKeySettingsTests {
    @Test(
        "flag over $OUTPOST_MASTER_KEY_FILE over master_key_file, then $OUTPOST_MASTER_KEY; none is an error, never a new key"
    )
    func precedence() throws {
        let directory = NSTemporaryDirectory() + "outpost-master-key-settings-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (flagKey, environmentKey, fileKey) = (
            try MasterKey.create(at: directory + "/flag.key"),
            try MasterKey.create(at: directory + "/env.key"),
            try MasterKey.create(at: directory + "/file.key")
        )
        let config = directory + "/collector.toml"
        try "master_key_file = \"\(directory)/file.key\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        var flags = CollectorSettings.Flags()
        flags.masterKeyFile = directory + "/flag.key"
        let environment = ["OUTPOST_MASTER_KEY_FILE": directory + "/env.key"]

        #expect(
            try CollectorSettings(config: config, flags: flags, environment: environment).masterKey().fingerprint
                == flagKey.fingerprint)
        #expect(
            try CollectorSettings(config: config, environment: environment).masterKey().fingerprint
                == environmentKey.fingerprint)
        #expect(try CollectorSettings(config: config, environment: [:]).masterKey().fingerprint == fileKey.fingerprint)

        let base64 = try String(contentsOfFile: directory + "/flag.key", encoding: .utf8)
        #expect(
            try CollectorSettings(config: nil, environment: ["OUTPOST_MASTER_KEY": base64]).masterKey().fingerprint
                == flagKey.fingerprint)

        #expect {
            try CollectorSettings(config: nil, environment: [:]).masterKey()
        } throws: { error in
            "\(error)".contains("no master key") && "\(error)".contains("--master-key-file")
        }
        #expect {
            try CollectorSettings(config: nil, environment: ["OUTPOST_MASTER_KEY_FILE": directory + "/missing.key"])
                .masterKey()
        } throws: { error in
            "\(error)".hasPrefix("master_key_file (from $OUTPOST_MASTER_KEY_FILE)")
        }
        #expect(throws: SettingsError.self) {
            try CollectorSettings(config: nil, environment: ["OUTPOST_MASTER_KEY": "c2hvcnQ="]).masterKey()
        }
    }
}
