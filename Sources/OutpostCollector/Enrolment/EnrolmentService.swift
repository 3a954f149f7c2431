import Logging
import NIOCore
import NIOPosix
import OutpostPKI
import PostgresNIO
import ServiceLifecycle

/// The enrolment endpoint as a ServiceLifecycle service of `outpost-collector run`: binds the
/// TLS listener, serves until graceful shutdown, then finishes the enrolments in progress.
public struct EnrolmentService: Service {
    private let configuration: EnrolmentServerConfiguration
    private let authority: CertificateAuthority
    private let identity: CollectorServerIdentity
    private let client: PostgresClient
    private let group: any EventLoopGroup
    private let logger: Logger

    /// Creates the service; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - authority: The CA issuing agent certificates (`CertificateAuthority.load(from:)`).
    ///   - identity: The collector's TLS identity (`CollectorServerIdentity.load(from:)`).
    ///   - client: The collector's database pool, run by the same service group.
    public init(
        configuration: EnrolmentServerConfiguration,
        authority: CertificateAuthority,
        identity: CollectorServerIdentity,
        client: PostgresClient,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.authority = authority
        self.identity = identity
        self.client = client
        self.group = group
        self.logger = logger
    }

    public func run() async throws {
        let server = try await EnrolmentServer.bind(
            configuration: configuration, authority: authority, identity: identity, client: client, group: group,
            logger: logger)
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            server.close()
        }
    }
}
