import Metrics
import Prometheus

/// The collector's swift-metrics backend: Prometheus, exported as text by `/metrics`.
public enum CollectorMetrics {
    /// A factory recording into `registry`, with histogram buckets fitted to the collector's
    /// timers (group commits take milliseconds to tens of seconds while PostgreSQL struggles).
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["outpost_ingest_commit_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
            .seconds(10), .seconds(30),
        ]
        factory.valueHistogramBuckets["outpost_ingest_group_batches"] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000]
        return factory
    }

    /// Makes Prometheus the process's metrics backend and returns the registry to export.
    ///
    /// Call it once per process (swift-metrics refuses a second bootstrap), before creating
    /// anything that records metrics: metrics created earlier stay with the no-op backend.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(registry: registry))
        return registry
    }
}
