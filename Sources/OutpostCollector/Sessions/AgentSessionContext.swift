import Logging
import Metrics
import OutpostPKI
import OutpostStore
import PostgresNIO

/// What every agent session shares: the ingest pipeline, the database and tuning.
public struct AgentSessionContext: Sendable {
    /// Session tuning.
    public struct Configuration: Sendable {
        /// Largest frame accepted from an agent.
        public var maximumFrameBytes = 16 << 20
        /// Batches of one session being committed at once; beyond this the session stops reading.
        public var maximumBatchesInFlight = 64
        /// Accepted clock skew of batch timestamps into the future.
        public var maximumFutureSkew: Double = 3_600
        /// Seconds an LLDP/CDP edge stays active without a walk listing it (`docs/topology.md`).
        public var neighbourEdgeMaximumAge: Double = NeighbourWriter.defaultMaximumAge

        public init() {}
    }

    let pipeline: IngestPipeline
    let client: PostgresClient
    let registry: SessionRegistry
    let configSubscribers: ConfigSubscribers
    let renewal: AgentCertificateRenewal?
    let configuration: Configuration
    /// Opens the SNMP credentials put into configuration snapshots; `nil` only where no device
    /// has credentials (tests): a snapshot needing it then fails with a clear error.
    let masterKey: MasterKey?
    /// Dispatches discovery jobs and records what agents report about them (`nil`: job
    /// reports are ignored and discovery findings in batches are not written).
    let discovery: DiscoveryDispatcher?
    /// Dispatches traceroute and MTR jobs and records their reports (`nil`: none run).
    let diagnostics: DiagnosticsDispatcher?
    let metrics: SessionMetrics

    /// - Parameters:
    ///   - renewal: renews agent certificates on request (`nil`: renewal requests are refused).
    ///   - configSubscribers: where sessions wait for configuration changes; share it with the
    ///     ``ConfigChangeWatcher``.
    ///   - masterKey: opens the SNMP credentials of configuration snapshots.
    ///   - discovery: the discovery dispatcher; build it with the same `registry`.
    ///   - diagnostics: the traceroute and MTR dispatcher; build it with the same `registry`.
    ///   - metricsFactory: where session metrics go (default: the process's bootstrapped backend).
    public init(
        pipeline: IngestPipeline, client: PostgresClient, registry: SessionRegistry = SessionRegistry(),
        renewal: AgentCertificateRenewal? = nil, configSubscribers: ConfigSubscribers = ConfigSubscribers(),
        configuration: Configuration = .init(), masterKey: MasterKey? = nil, discovery: DiscoveryDispatcher? = nil,
        diagnostics: DiagnosticsDispatcher? = nil,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.pipeline = pipeline
        self.client = client
        self.registry = registry
        self.renewal = renewal
        self.configSubscribers = configSubscribers
        self.configuration = configuration
        self.masterKey = masterKey
        self.discovery = discovery
        self.diagnostics = diagnostics
        self.metrics = SessionMetrics(factory: metricsFactory)
    }
}

/// Prometheus-facing counters of agent sessions.
struct SessionMetrics: Sendable {
    /// Live agent sessions on this collector.
    let sessions: Meter
    let rejectedConnections: Counter
    let verificationFailures: Counter
    let refusedBatches: Counter
    let configPushes: Counter
    /// Frames that do not decode, and Hellos with values outside their domain: the session ends
    /// with an Error frame.
    let malformedFrames: Counter
    /// Batches whose signature verified but whose bytes do not decode or whose values are
    /// outside their domain: refused with a Nack naming the field.
    let malformedBatches: Counter
    /// Rows naming a device or item of another branch (or none): refused, never written.
    let foreignRows: Counter

    init(factory: any MetricsFactory) {
        sessions = Meter(label: "outpost_agent_sessions", factory: factory)
        rejectedConnections = Counter(label: "outpost_agent_connections_rejected_total", factory: factory)
        verificationFailures = Counter(label: "outpost_batch_verification_failures_total", factory: factory)
        refusedBatches = Counter(label: "outpost_batches_refused_total", factory: factory)
        configPushes = Counter(label: "outpost_config_pushes_total", factory: factory)
        malformedFrames = Counter(label: "outpost_agent_malformed_frames_total", factory: factory)
        malformedBatches = Counter(label: "outpost_batches_malformed_total", factory: factory)
        foreignRows = Counter(label: "outpost_foreign_rows_refused_total", factory: factory)
    }
}
