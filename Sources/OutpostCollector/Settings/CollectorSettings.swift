import Foundation
import Logging
import OutpostPKI
import OutpostSettings
import OutpostStore

/// The collector's options, from flags over environment variables over the TOML file
/// (`collector/collector.toml.example` documents each one), validated before anything starts.
public struct CollectorSettings: Sendable {
    /// The options of the file, with their environment variables and flags.
    public enum Keys {
        public static let databaseURL = SettingKey(
            "database_url", environment: "OUTPOST_DATABASE_URL", flag: "--database-url")
        public static let caDirectory = SettingKey("ca_dir", environment: "OUTPOST_CA_DIR", flag: "--ca-dir")
        public static let listen = SettingKey("listen", environment: "OUTPOST_LISTEN", flag: "--listen")
        public static let enrolListen = SettingKey(
            "enrol_listen", environment: "OUTPOST_ENROL_LISTEN", flag: "--enrol-listen")
        public static let httpListen = SettingKey(
            "http_listen", environment: "OUTPOST_HTTP_LISTEN", flag: "--http-listen")
        public static let httpTLSCert = SettingKey(
            "http_tls_cert", environment: "OUTPOST_HTTP_TLS_CERT", flag: "--http-tls-cert")
        public static let httpTLSKey = SettingKey(
            "http_tls_key", environment: "OUTPOST_HTTP_TLS_KEY", flag: "--http-tls-key")
        public static let httpTLSServerIdentity = SettingKey(
            "http_tls_server_identity", environment: "OUTPOST_HTTP_TLS_SERVER_IDENTITY")
        public static let httpPublicOrigin = SettingKey(
            "http_public_origin", environment: "OUTPOST_HTTP_PUBLIC_ORIGIN", flag: "--http-public-origin")
        public static let httpAllowPlainRemote = SettingKey(
            "http_allow_plain_remote", environment: "OUTPOST_HTTP_ALLOW_PLAIN_REMOTE")
        public static let retentionDays = SettingKey(
            "retention_days", environment: "OUTPOST_RETENTION_DAYS", flag: "--retention-days")
        public static let rollupMinuteRetentionDays = SettingKey(
            "rollup_minute_retention_days", environment: "OUTPOST_ROLLUP_MINUTE_RETENTION_DAYS",
            flag: "--rollup-minute-retention-days")
        public static let rollupHourRetentionDays = SettingKey(
            "rollup_hour_retention_days", environment: "OUTPOST_ROLLUP_HOUR_RETENTION_DAYS",
            flag: "--rollup-hour-retention-days")
        public static let certificateLifetime = SettingKey(
            "agent_certificate_lifetime", environment: "OUTPOST_AGENT_CERT_LIFETIME",
            flag: "--agent-certificate-lifetime")
        public static let logLevel = SettingKey("log_level", environment: "OUTPOST_LOG_LEVEL", flag: "--log-level")
        public static let masterKeyFile = SettingKey(
            "master_key_file", environment: "OUTPOST_MASTER_KEY_FILE", flag: "--master-key-file")
        public static let smtpServer = SettingKey("smtp_server", environment: "OUTPOST_SMTP_SERVER")
        public static let smtpFrom = SettingKey("smtp_from", environment: "OUTPOST_SMTP_FROM")
        public static let smtpStartTLS = SettingKey("smtp_starttls", environment: "OUTPOST_SMTP_STARTTLS")
        public static let smtpCAFile = SettingKey("smtp_ca_file", environment: "OUTPOST_SMTP_CA_FILE")
        public static let smtpUsername = SettingKey("smtp_username", environment: "OUTPOST_SMTP_USERNAME")
        public static let smtpPassword = SettingKey("smtp_password", environment: "OUTPOST_SMTP_PASSWORD")
        public static let alertInstance = SettingKey("alert_instance_name", environment: "OUTPOST_ALERT_INSTANCE_NAME")
        public static let flapWindow = SettingKey("alert_flap_window", environment: "OUTPOST_ALERT_FLAP_WINDOW")
        public static let flapStartPercent = SettingKey(
            "alert_flap_start_percent", environment: "OUTPOST_ALERT_FLAP_START_PERCENT")
        public static let flapStopPercent = SettingKey(
            "alert_flap_stop_percent", environment: "OUTPOST_ALERT_FLAP_STOP_PERCENT")
        public static let agentConnections = SettingKey(
            "agent_max_connections", environment: "OUTPOST_AGENT_MAX_CONNECTIONS")
        public static let agentConnectionsPerSource = SettingKey(
            "agent_max_connections_per_source", environment: "OUTPOST_AGENT_MAX_CONNECTIONS_PER_SOURCE")
        public static let topologyEdgeMaxAge = SettingKey(
            "topology_edge_max_age_seconds", environment: "OUTPOST_TOPOLOGY_EDGE_MAX_AGE_SECONDS")
        /// The master key itself (base64), from the environment only: never from the file.
        public static let masterKeyVariable = "OUTPOST_MASTER_KEY"

        public static let all = [
            databaseURL, caDirectory, listen, enrolListen, httpListen, retentionDays, rollupMinuteRetentionDays,
            rollupHourRetentionDays, certificateLifetime, logLevel,
            masterKeyFile, httpTLSCert, httpTLSKey, httpTLSServerIdentity, httpPublicOrigin, httpAllowPlainRemote,
            smtpServer, smtpFrom, smtpStartTLS, smtpCAFile, smtpUsername, smtpPassword, alertInstance, flapWindow,
            flapStartPercent, flapStopPercent,
            agentConnections, agentConnectionsPerSource,
            reportMailEnabled, reportMailRecipients,
            topologyEdgeMaxAge,
        ]
    }

    /// The values given on the command line (`nil` when absent).
    public struct Flags: Sendable {
        public var databaseURL: String?
        public var caDirectory: String?
        public var listen: String?
        public var enrolListen: String?
        public var httpListen: String?
        public var httpTLSCert: String?
        public var httpTLSKey: String?
        public var httpPublicOrigin: String?
        public var retentionDays: String?
        public var rollupMinuteRetentionDays: String?
        public var rollupHourRetentionDays: String?
        public var certificateLifetime: String?
        public var logLevel: String?
        public var masterKeyFile: String?

        public init() {}
    }

    /// An address to bind.
    public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
        public let host: String
        public let port: Int

        /// The address `host`:`port`.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The default configuration file, read when it exists and no other is named.
    public static let defaultFile = "/etc/outpost/collector.toml"

    let settings: Settings
    let flags: Flags
    private let environment: [String: String]

    /// Reads the file `config` (or the default file when it exists) and checks it names only
    /// known options. Values are parsed when asked for, so commands that need only the database
    /// do not fail on a listener they do not use.
    public init(
        config: String?, flags: Flags = Flags(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let path = config ?? environment["OUTPOST_COLLECTOR_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let file: SettingsFile?
        if let path {
            file = try SettingsFile(path: path)
        } else {
            file =
                FileManager.default.fileExists(atPath: Self.defaultFile)
                ? try SettingsFile(path: Self.defaultFile) : nil
        }
        self.settings = try Settings(file: file, known: Keys.all, environment: environment)
        self.flags = flags
        self.environment = environment
    }

    /// The PostgreSQL database; an error naming the option when missing or malformed.
    public func databaseURL() throws -> DatabaseURL {
        guard let (text, source) = try settings.text(Keys.databaseURL, flag: flags.databaseURL) else {
            throw SettingsError(
                "no database: pass --database-url, set OUTPOST_DATABASE_URL, or database_url in the configuration file")
        }
        do {
            return try DatabaseURL(text)
        } catch let error as DatabaseURL.ParseError {
            throw SettingsError("database_url (from \(source)): \(error.description)")
        }
    }

    /// The CA directory (ca.key, ca.crt, server.key, server.crt).
    public func caDirectory() throws -> String {
        try settings.text(Keys.caDirectory, flag: flags.caDirectory)?.0 ?? "certs/ca"
    }

    /// Where the agent mTLS listener binds.
    public func listen() throws -> Endpoint {
        try endpoint(Keys.listen, flag: flags.listen) ?? Endpoint(host: "0.0.0.0", port: 8443)
    }

    /// Where the enrolment endpoint binds.
    public func enrolListen() throws -> Endpoint {
        try endpoint(Keys.enrolListen, flag: flags.enrolListen) ?? Endpoint(host: "0.0.0.0", port: 8444)
    }

    /// Where the operator HTTP server (health, metrics, JSON API) binds.
    public func httpListen() throws -> Endpoint {
        try endpoint(Keys.httpListen, flag: flags.httpListen) ?? Endpoint(host: "127.0.0.1", port: 8080)
    }

    /// Connections the agent listener holds at once (counted before TLS), all sources
    /// together and from one source address: (`agent_max_connections`, default 4,096;
    /// `agent_max_connections_per_source`, default 64 — raise it when many agents share one
    /// NAT address).
    public func agentConnectionLimits() throws -> (total: Int, perSource: Int) {
        let total = try settings.value(
            Keys.agentConnections, flag: nil, expected: "a number from 1 to 1000000",
            SettingParsers.integer(in: 1...1_000_000))
        let perSource = try settings.value(
            Keys.agentConnectionsPerSource, flag: nil, expected: "a number from 1 to 1000000",
            SettingParsers.integer(in: 1...1_000_000))
        return (total ?? AgentListener.defaultLimits.connections, perSource ?? AgentListener.defaultLimits.perSource)
    }

    /// Seconds an LLDP/CDP edge stays active without a walk listing it
    /// (`topology_edge_max_age_seconds`, 60 to 604,800, default 3,600: three walks; docs/topology.md).
    public func topologyEdgeMaximumAge() throws -> Double {
        let seconds = try settings.value(
            Keys.topologyEdgeMaxAge, flag: nil, expected: "a number of seconds from 60 to 604800",
            SettingParsers.integer(in: 60...604_800))
        return seconds.map(Double.init) ?? NeighbourWriter.defaultMaximumAge
    }

    /// Days of raw history (ping rounds, traceroutes, SNMP samples) kept: 7 by default, the
    /// roll-ups keep longer (docs/architecture.md, "Schema decisions").
    public func retentionDays() throws -> Int {
        try settings.value(
            Keys.retentionDays, flag: flags.retentionDays, expected: "a number of days from 1 to 36500",
            SettingParsers.integer(in: 1...36_500)) ?? 7
    }

    /// Days of one-minute roll-ups kept (`rollup_minute_retention_days`, default 90) and of
    /// one-hour roll-ups (`rollup_hour_retention_days`, default 730).
    public func rollupRetentionDays() throws -> (minute: Int, hour: Int) {
        let minute = try settings.value(
            Keys.rollupMinuteRetentionDays, flag: flags.rollupMinuteRetentionDays,
            expected: "a number of days from 1 to 36500", SettingParsers.integer(in: 1...36_500))
        let hour = try settings.value(
            Keys.rollupHourRetentionDays, flag: flags.rollupHourRetentionDays,
            expected: "a number of days from 1 to 36500", SettingParsers.integer(in: 1...36_500))
        return (minute ?? 90, hour ?? 730)
    }

    /// Lifetime of agent certificates issued at enrolment and renewal (10 minutes to 397 days).
    public func certificateLifetime() throws -> TimeInterval {
        let lifetime = try settings.value(
            Keys.certificateLifetime, flag: flags.certificateLifetime, expected: "a duration from 10m to 397d like 30d"
        ) { text in
            SettingParsers.duration(text).flatMap { duration -> TimeInterval? in
                let seconds = TimeInterval(duration.components.seconds)
                return (600...(397 * 86_400)).contains(seconds) ? seconds : nil
            }
        }
        return lifetime ?? 30 * 86_400
    }

    /// The log level.
    public func logLevel() throws -> Logger.Level {
        try settings.value(
            Keys.logLevel, flag: flags.logLevel, expected: "trace, debug, info, notice, warning, error or critical"
        ) {
            Logger.Level(rawValue: $0)
        } ?? .info
    }

    /// The master key that seals SNMP credentials: the file named by `master_key_file` (flag,
    /// environment or file), else the base64 key in `$OUTPOST_MASTER_KEY`. Never generated here:
    /// a missing key is an error, since a new one could not open the stored credentials.
    public func masterKey() throws -> MasterKey {
        if let (path, source) = try settings.text(Keys.masterKeyFile, flag: flags.masterKeyFile) {
            do {
                return try MasterKey.load(path: path)
            } catch {
                throw SettingsError("master_key_file (from \(source)): \(error)")
            }
        }
        if let text = environment[Keys.masterKeyVariable], !text.isEmpty {
            do {
                return try MasterKey(base64: text)
            } catch {
                throw SettingsError("$\(Keys.masterKeyVariable): \(error)")
            }
        }
        throw SettingsError(
            """
            no master key: pass --master-key-file, set OUTPOST_MASTER_KEY_FILE or master_key_file in the configuration file, \
            or put the base64 key in OUTPOST_MASTER_KEY (create one with `outpost-collector credentials master-key create FILE`; \
            back it up: the stored credentials cannot be opened without it)
            """)
    }

    /// The alert engine's tuning: the SMTP relay for e-mail channels (`smtp_server` and
    /// `smtp_from` together, or neither; `smtp_starttls`, `smtp_ca_file`, and `smtp_username`
    /// with `smtp_password` only over STARTTLS), the name this collector holds alert leases under
    /// (`alert_instance_name`, the host name by default) and the flap detection thresholds.
    public func alertEngine() throws -> AlertEngine.Configuration {
        var configuration = AlertEngine.Configuration()
        let server = try settings.value(Keys.smtpServer, expected: "host:port of an SMTP relay") {
            SettingParsers.endpoint($0)
        }
        let from = try settings.value(Keys.smtpFrom, expected: "an e-mail address like outpost@example.com") {
            MailAddress.isValid($0) ? $0 : nil
        }
        switch (server, from) {
        case (let server?, let from?):
            let startTLS =
                try settings.value(Keys.smtpStartTLS, expected: "true or false", SettingParsers.boolean) ?? false
            let caFile = try settings.text(Keys.smtpCAFile)?.0
            let username = try settings.text(Keys.smtpUsername)?.0
            let password = try settings.text(Keys.smtpPassword)?.0
            if caFile != nil, !startTLS { throw SettingsError("smtp_ca_file needs smtp_starttls = true") }
            if (username == nil) != (password == nil) {
                throw SettingsError("smtp_username and smtp_password go together")
            }
            let credentials = username.flatMap { user in
                password.map { SMTPConfiguration.Credentials(username: user, password: $0) }
            }
            do {
                configuration.smtp = try SMTPConfiguration(
                    host: server.host, port: server.port, from: from,
                    security: startTLS ? .startTLS(caFile: caFile) : .none,
                    credentials: credentials)
            } catch {
                throw SettingsError("smtp_username: \(error)")
            }
        case (nil, nil): break
        default:
            throw SettingsError("smtp_server and smtp_from go together: set both to send alert e-mails, or neither")
        }
        configuration.instanceName =
            try settings.value(Keys.alertInstance, expected: "a name of 1 to 200 characters") { name in
                (1...200).contains(name.count) ? name : nil
            } ?? configuration.instanceName
        configuration.flapWindow =
            try settings.value(
                Keys.flapWindow, expected: "a number of states from 3 to 1000", SettingParsers.integer(in: 3...1_000))
            ?? configuration.flapWindow
        let percent: (String) -> Double? = { Double($0).flatMap { (0...100).contains($0) ? $0 : nil } }
        let start =
            try settings.value(Keys.flapStartPercent, expected: "a percentage from 0 to 100", percent)
            ?? configuration.flapStartPercent
        let stop =
            try settings.value(Keys.flapStopPercent, expected: "a percentage from 0 to 100", percent)
            ?? configuration.flapStopPercent
        guard stop < start else {
            throw SettingsError(
                "alert_flap_stop_percent (\(stop)) must be lower than alert_flap_start_percent (\(start))")
        }
        configuration.flapStartPercent = start
        configuration.flapStopPercent = stop
        return configuration
    }

    /// Every value, parsed: call at start so a bad option stops the collector before it serves.
    public func validate() throws {
        _ = try databaseURL()
        _ = try caDirectory()
        _ = try listen()
        _ = try enrolListen()
        _ = try operatorHTTP(serverIdentity: nil)
        _ = try retentionDays()
        _ = try rollupRetentionDays()
        _ = try certificateLifetime()
        _ = try agentConnectionLimits()
        _ = try topologyEdgeMaximumAge()
        _ = try logLevel()
        _ = try alertEngine()
    }

    private func endpoint(_ key: SettingKey, flag: String?) throws -> Endpoint? {
        try settings.value(key, flag: flag, expected: "host:port or [IPv6]:port") { text in
            SettingParsers.endpoint(text).map { Endpoint(host: $0.host, port: $0.port) }
        }
    }
}
