/// Where the collector's operator HTTP server listens and how long it waits for PostgreSQL.
public struct OperatorHTTPConfiguration: Sendable {
    /// Address to bind (default loopback: the API is read-only but not authenticated).
    public var host: String
    /// Port to bind; 0 picks a free one (see ``OperatorHTTPServer/boundAddress``).
    public var port: Int
    /// `/readyz` reports PostgreSQL unreachable when it does not answer within this time.
    public var readinessTimeout: Duration = .seconds(2)
    /// An API request fails with 503 when its query does not finish within this time.
    public var queryTimeout: Duration = .seconds(10)

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
