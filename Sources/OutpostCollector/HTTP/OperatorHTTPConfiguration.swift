import NIOSSL

/// Where the collector's operator HTTP server listens, how long it waits for PostgreSQL, and
/// how operators' logins behave.
public struct OperatorHTTPConfiguration: Sendable {
    /// Address to bind (default loopback: plain HTTP carries passwords and session cookies).
    public var host: String
    /// Port to bind; 0 picks a free one (see ``OperatorHTTPServer/boundAddress``).
    public var port: Int
    /// `/readyz` reports PostgreSQL unreachable when it does not answer within this time.
    public var readinessTimeout: Duration = .seconds(2)
    /// An API request fails with 503 when its query does not finish within this time.
    public var queryTimeout: Duration = .seconds(10)
    /// A login session ends after this long without a request.
    public var sessionIdleTimeout: Duration = .seconds(30 * 60)
    /// A login session ends this long after the login, however busy.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// The origins operators' browsers use (`https://noc.example.ge`); empty: the origin each
    /// request was sent to. See ``OriginCheck``.
    public var publicOrigins: [String] = []
    /// Serves HTTPS with this configuration (`nil`: plain HTTP).
    public var tls: TLSConfiguration? {
        didSet { secureCookies = tls != nil }
    }
    /// Marks the session cookie `Secure` (set with ``tls``; set it by hand behind a TLS proxy).
    public var secureCookies = false
    /// Failed logins one source address may make at once, then per minute, before all its
    /// logins are refused for a while (whatever the user).
    public var loginFailuresPerSource: (burst: Int, perMinute: Double) = (10, 10)
    /// bcrypt's cost for passwords set through the API.
    public var passwordCost: UInt8 = 12

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
