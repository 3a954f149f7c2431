import Foundation
import OutpostSettings
import Testing

@Suite("Settings: flags over environment over TOML file, validated")
struct SettingsTests {
    static let name = SettingKey("name", environment: "TEST_NAME", flag: "--name")
    static let size = SettingKey("spool.max_bytes", environment: "TEST_MAX_BYTES")
    static let hosts = SettingKey("hosts", environment: "TEST_HOSTS", flag: "--host")
    static let known = [name, size, hosts]

    static let file = """
        name = "from-file"
        hosts = ["a:1", "b:2"]

        [spool]
        max_bytes = "2GiB"
        """

    @Test func precedenceIsFlagThenEnvironmentThenFile() throws {
        let parsed = try SettingsFile(text: Self.file, path: "test.toml")
        #expect(parsed.values["spool.max_bytes"] == .scalar("2GiB"))

        let fileOnly = try Settings(file: parsed, known: Self.known, environment: [:])
        #expect(try fileOnly.text(Self.name)?.0 == "from-file")
        #expect(try fileOnly.value(Self.size, expected: "a size", SettingParsers.byteSize) == 2 << 30)
        #expect(fileOnly.list(Self.hosts)?.0 == ["a:1", "b:2"])

        let environment = try Settings(
            file: parsed, known: Self.known, environment: ["TEST_NAME": "from-env", "TEST_HOSTS": "c:3, d:4"])
        #expect(try environment.text(Self.name)?.0 == "from-env")
        #expect(try environment.text(Self.name)?.1 == .environment("TEST_NAME"))
        #expect(environment.list(Self.hosts)?.0 == ["c:3", "d:4"])
        #expect(try environment.text(Self.name, flag: "from-flag")?.0 == "from-flag")
        #expect(environment.list(Self.hosts, flags: ["e:5"])?.0 == ["e:5"])

        let nothing = try Settings(file: nil, known: Self.known, environment: [:])
        #expect(try nothing.text(Self.name) == nil)
    }

    @Test func badValuesNameTheOptionAndWhereItCameFrom() throws {
        let parsed = try SettingsFile(text: "[spool]\nmax_bytes = \"lots\"\n", path: "/etc/outpost/agent.toml")
        let settings = try Settings(file: parsed, known: Self.known, environment: [:])
        #expect(throws: SettingsError.self) {
            try settings.value(Self.size, expected: "a size like 2GiB", SettingParsers.byteSize)
        }
        do {
            _ = try settings.value(Self.size, expected: "a size like 2GiB", SettingParsers.byteSize)
        } catch {
            #expect(
                error.description
                    == #"spool.max_bytes (from /etc/outpost/agent.toml): expected a size like 2GiB, got "lots""#)
        }
        let fromEnvironment = try Settings(file: nil, known: Self.known, environment: ["TEST_MAX_BYTES": "-5"])
        #expect(
            throws: SettingsError.invalid(
                Self.size, source: .environment("TEST_MAX_BYTES"), expected: "a size", got: "\"-5\"")
        ) {
            try fromEnvironment.value(Self.size, expected: "a size", SettingParsers.byteSize)
        }
    }

    @Test func unknownOptionsAndBrokenFilesAreRefused() throws {
        let typo = try SettingsFile(text: "[spool]\nmax_byte = 5\n", path: "agent.toml")
        #expect(throws: SettingsError.self) { try Settings(file: typo, known: Self.known, environment: [:]) }
        do {
            _ = try Settings(file: typo, known: Self.known, environment: [:])
        } catch {
            #expect(error.description.contains("unknown option spool.max_byte"))
        }
        do {
            _ = try SettingsFile(text: "name = \"unterminated\nhosts = 3\n", path: "bad.toml")
            Issue.record("broken TOML accepted")
        } catch {
            #expect(error.description.hasPrefix("bad.toml:1:"), "\(error)")
        }
        #expect(throws: SettingsError.self) { try SettingsFile(path: "/nonexistent/outpost.toml") }
        #expect(throws: SettingsError.self) {
            try SettingsFile(text: "name = 2026-11-25T10:00:00Z\n", path: "date.toml")
        }
        let array = try SettingsFile(text: "name = [\"a\", \"b\"]\n", path: "array.toml")
        #expect(throws: SettingsError.self) {
            try Settings(file: array, known: Self.known, environment: [:]).text(Self.name)
        }
    }

    @Test(arguments: [
        ("90s", Duration.seconds(90)), ("7d", .seconds(7 * 86_400)), ("200ms", .milliseconds(200)),
        ("5m", .seconds(300)), ("2h", .seconds(7200)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(SettingParsers.duration(text) == expected)
    }

    @Test(arguments: ["", "s", "0s", "-1s", "10", "1.5h", "1w", "99999999999999999d"])
    func badDurations(text: String) {
        #expect(SettingParsers.duration(text) == nil)
    }

    @Test func sizesEndpointsIntegers() {
        #expect(SettingParsers.byteSize("512MiB") == 512 << 20)
        #expect(SettingParsers.byteSize("4096") == 4096)
        #expect(SettingParsers.byteSize("0") == nil)
        #expect(SettingParsers.byteSize("1PB") == nil)
        #expect(SettingParsers.endpoint("0.0.0.0:8443")! == ("0.0.0.0", 8443))
        #expect(SettingParsers.endpoint("[::1]:80")! == ("::1", 80))
        #expect(SettingParsers.endpoint("host") == nil)
        #expect(SettingParsers.endpoint("host:70000") == nil)
        #expect(SettingParsers.endpoint(":80") == nil)
        #expect(SettingParsers.integer(in: 1...10)("11") == nil)
        #expect(SettingParsers.integer(in: 1...10)("10") == 10)
    }
}
