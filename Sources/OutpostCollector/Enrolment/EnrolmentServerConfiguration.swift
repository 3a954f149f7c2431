import Foundation
import OutpostPKI

/// How the collector's enrolment endpoint listens and what it accepts.
public struct EnrolmentServerConfiguration: Sendable {
    /// The enrolment endpoint's default TCP port.
    public static let defaultPort = 8444

    /// Address to listen on.
    public var host: String
    /// TCP port to listen on; 0 picks a free one (see ``EnrolmentServer/port``).
    public var port: Int
    /// Lifetime of issued agent certificates.
    public var certificateLifetime: TimeInterval
    /// Failed attempts one source address may make in a burst before it is refused.
    public var failedAttemptBurst: Int
    /// Failed attempts per minute one source address regains after a burst.
    public var failedAttemptsPerMinute: Double
    /// Failed attempts all addresses together may make in a burst: rotating source addresses
    /// does not buy an attacker more guesses.
    public var failedAttemptGlobalBurst: Int
    /// Failed attempts per minute all addresses together regain after a burst.
    public var failedAttemptsPerMinuteGlobally: Double
    /// Longest time a connection may stay open (TLS handshake, request and response).
    public var connectionTimeout: Duration
    /// Connections held at once, counted from accept (before TLS); more are closed at once.
    public var maximumConcurrentConnections: Int
    /// Connections held at once from one source address.
    public var maximumConnectionsPerSource: Int

    /// The defaults: all interfaces, port 8444, 30-day certificates, 5 failed attempts per minute
    /// per address and 60 per minute in all, 10 s per connection, 512 connections at once and
    /// 16 from one address.
    public init(
        host: String = "0.0.0.0",
        port: Int = EnrolmentServerConfiguration.defaultPort,
        certificateLifetime: TimeInterval = PKIDefaults.agentCertificateLifetime,
        failedAttemptBurst: Int = 5,
        failedAttemptsPerMinute: Double = 5,
        failedAttemptGlobalBurst: Int = 60,
        failedAttemptsPerMinuteGlobally: Double = 60,
        connectionTimeout: Duration = .seconds(10),
        maximumConcurrentConnections: Int = 512,
        maximumConnectionsPerSource: Int = 16
    ) {
        self.host = host
        self.port = port
        self.certificateLifetime = certificateLifetime
        self.failedAttemptBurst = failedAttemptBurst
        self.failedAttemptsPerMinute = failedAttemptsPerMinute
        self.failedAttemptGlobalBurst = failedAttemptGlobalBurst
        self.failedAttemptsPerMinuteGlobally = failedAttemptsPerMinuteGlobally
        self.connectionTimeout = connectionTimeout
        self.maximumConcurrentConnections = maximumConcurrentConnections
        self.maximumConnectionsPerSource = maximumConnectionsPerSource
    }
}
