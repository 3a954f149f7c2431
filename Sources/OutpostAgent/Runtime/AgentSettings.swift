import Foundation
import Logging
import OutpostSettings

/// The agent's options, from flags over environment variables over the TOML file
/// (`agent/agent.toml.example` documents each one), validated before anything starts.
public struct AgentSettings: Sendable {
    /// The options of the file, with their environment variables and flags.
    public enum Keys {
        public static let stateDirectory = SettingKey(
            "state_dir", environment: "OUTPOST_AGENT_STATE_DIR", flag: "--state-dir")
        public static let collectors = SettingKey("collectors", environment: "OUTPOST_COLLECTORS", flag: "--collector")
        public static let serverName = SettingKey(
            "server_name", environment: "OUTPOST_AGENT_SERVER_NAME", flag: "--server-name")
        public static let logLevel = SettingKey(
            "log_level", environment: "OUTPOST_AGENT_LOG_LEVEL", flag: "--log-level")
        public static let spoolMaxBytes = SettingKey("spool.max_bytes", environment: "OUTPOST_AGENT_SPOOL_MAX_BYTES")
        public static let spoolMaxAge = SettingKey("spool.max_age", environment: "OUTPOST_AGENT_SPOOL_MAX_AGE")
        public static let spoolSync = SettingKey("spool.sync", environment: "OUTPOST_AGENT_SPOOL_SYNC")
        public static let uplinkWindow = SettingKey("uplink.window", environment: "OUTPOST_AGENT_UPLINK_WINDOW")
        public static let replayRate = SettingKey("uplink.replay_rate", environment: "OUTPOST_AGENT_REPLAY_RATE")
        public static let maximumBackoff = SettingKey("uplink.max_backoff", environment: "OUTPOST_AGENT_MAX_BACKOFF")
        public static let metricsListen = SettingKey(
            "metrics_listen", environment: "OUTPOST_AGENT_METRICS_LISTEN", flag: "--metrics-listen")
        public static let icmpMaxPacketsPerSecond = SettingKey(
            "icmp_max_packets_per_second", environment: "OUTPOST_AGENT_ICMP_MAX_PPS", flag: "--icmp-max-pps")

        public static let all = [
            stateDirectory, collectors, serverName, logLevel, spoolMaxBytes, spoolMaxAge, spoolSync, uplinkWindow,
            replayRate, maximumBackoff, metricsListen, icmpMaxPacketsPerSecond,
        ]
    }

    /// The default configuration file, read when it exists and no other is named.
    public static let defaultFile = "/etc/outpost/agent.toml"

    /// Where the key, certificate, spool and cached configuration live.
    public let stateDirectory: String
    /// The log level.
    public let logLevel: Logger.Level
    /// Spool caps and fsync policy.
    public let spool: SpoolConfiguration
    /// The uplink configuration; `nil` when no collector is configured (enough for `enrol` and `status`).
    public let uplink: Uplink.Configuration?
    /// Where `/metrics` is served (`host:port`); `nil`, the default, serves none.
    public let metricsListen: (host: String, port: Int)?
    /// The most echo requests per second the agent sends, whatever its configuration asks
    /// (``PingRatePlan/ceilingRange``; default ``PingRatePlan/defaultCeilingPacketsPerSecond``).
    public let icmpMaxPacketsPerSecond: Int

    /// Reads the settings; flag values (`nil` or empty when not given) win over
    /// `$OUTPOST_AGENT_*`, which win over the file `config`.
    public init(
        config: String?, stateDirectory: String?, collectors: [String] = [], serverName: String? = nil,
        logLevel: String? = nil, metricsListen: String? = nil, icmpMaxPacketsPerSecond: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let settings = try Settings(
            file: try Self.file(config ?? environment["OUTPOST_AGENT_CONFIG"]), known: Keys.all,
            environment: environment)
        self.stateDirectory =
            try settings.text(Keys.stateDirectory, flag: stateDirectory)?.0 ?? "/var/lib/outpost-agent"
        self.logLevel =
            try settings.value(
                Keys.logLevel, flag: logLevel, expected: "trace, debug, info, notice, warning, error or critical"
            ) {
                Logger.Level(rawValue: $0)
            } ?? .info

        var spool = SpoolConfiguration()
        if let bytes = try settings.value(Keys.spoolMaxBytes, expected: "a size like 2GiB", SettingParsers.byteSize) {
            spool.maxBytes = bytes
        }
        if let age = try settings.value(Keys.spoolMaxAge, expected: "a duration like 7d", SettingParsers.duration) {
            spool.maxAge = age
        }
        if let sync = try settings.value(
            Keys.spoolSync, expected: "every-batch or a group-commit interval like 200ms", Self.syncPolicy)
        {
            spool.syncPolicy = sync
        }
        self.spool = spool

        self.metricsListen = try settings.value(
            Keys.metricsListen, flag: metricsListen, expected: "host:port, e.g. 127.0.0.1:9464"
        ) { text in
            CollectorAddress(parsing: text).map { (host: $0.host, port: $0.port) }
        }
        let ceilings = PingRatePlan.ceilingRange
        self.icmpMaxPacketsPerSecond =
            try settings.value(
                Keys.icmpMaxPacketsPerSecond, flag: icmpMaxPacketsPerSecond,
                expected: "an integer from \(ceilings.lowerBound) to \(ceilings.upperBound) (echo requests per second)",
                SettingParsers.integer(in: ceilings)) ?? PingRatePlan.defaultCeilingPacketsPerSecond
        let serverName = try settings.text(Keys.serverName, flag: serverName)?.0
        let (texts, source) = settings.list(Keys.collectors, flags: collectors) ?? ([], .flag("--collector"))
        var addresses: [CollectorAddress] = []
        for text in texts {
            guard let address = CollectorAddress(parsing: text) else {
                throw SettingsError.invalid(
                    Keys.collectors, source: source, expected: "host:port or [IPv6]:port", got: text.debugDescription)
            }
            addresses.append(CollectorAddress(host: address.host, port: address.port, serverName: serverName))
        }
        if addresses.isEmpty {
            uplink = nil
        } else {
            var uplink = Uplink.Configuration(collectors: addresses)
            if let window = try settings.value(
                Keys.uplinkWindow, expected: "an integer from 1 to 1024", SettingParsers.integer(in: 1...1024))
            {
                uplink.window = window
            }
            if let rate = try settings.value(
                Keys.replayRate, expected: "unlimited or a size per second like 1MiB", Self.replayRate)
            {
                uplink.bytesPerSecond = rate.bytesPerSecond
            }
            if let backoff = try settings.value(
                Keys.maximumBackoff, expected: "a duration like 30s", SettingParsers.duration)
            {
                uplink.maximumBackoff = backoff
            }
            self.uplink = uplink
        }
    }

    /// The file named by `path`, or the default file when it exists.
    private static func file(_ path: String?) throws -> SettingsFile? {
        if let path { return try SettingsFile(path: path) }
        return FileManager.default.fileExists(atPath: defaultFile) ? try SettingsFile(path: defaultFile) : nil
    }

    private static func syncPolicy(_ text: String) -> SpoolConfiguration.SyncPolicy? {
        text == "every-batch" ? .everyBatch : SettingParsers.duration(text).map { .groupCommit(interval: $0) }
    }

    /// A replay rate: `unlimited` or bytes per second.
    private struct ReplayRate {
        let bytesPerSecond: Int?
    }

    private static func replayRate(_ text: String) -> ReplayRate? {
        if text == "unlimited" { return ReplayRate(bytesPerSecond: nil) }
        return SettingParsers.byteSize(text).flatMap {
            $0 <= Int64(Int32.max) ? ReplayRate(bytesPerSecond: Int($0)) : nil
        }
    }
}
