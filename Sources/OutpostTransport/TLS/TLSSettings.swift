import NIOSSL
import X509

/// The TLS settings every Outpost connection shares: the agent's uplink, the collector's agent
/// listener, and both ends of enrolment.
///
/// TLS 1.3 only. Cipher suites and signature algorithms are left at NIOSSL's defaults
/// (BoringSSL's TLS 1.3 suites, which a TLS 1.3 configuration cannot narrow).
enum TLSSettings {
    /// The oldest protocol version accepted, by clients and servers alike.
    static let minimumVersion: TLSVersion = .tlsv13

    /// A client configuration with the shared settings; verification as NIOSSL's default.
    static func clientConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = minimumVersion
        return configuration
    }

    /// A server configuration presenting `identity`, with the shared settings.
    static func serverConfiguration(presenting identity: TLSIdentity) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.certificateChain, privateKey: identity.privateKey)
        configuration.minimumTLSVersion = minimumVersion
        return configuration
    }

    /// Trust in `caCertificate` alone: the Outpost CA, not the system's roots.
    static func trustRoots(_ caCertificate: Certificate) throws -> NIOSSLTrustRoots {
        let caPEM = try caCertificate.serializeAsPEM().pemString
        return .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
    }
}
