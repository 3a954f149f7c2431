import NIOSSL

/// The TLS of the collector's operator HTTP port (browsers and automation): the collector
/// presents `identity`; clients are not asked for certificates. TLS 1.2 or later, since
/// operators' browsers and tools are not all TLS 1.3 only.
public enum OperatorHTTPTLS {
    /// The server configuration presenting `identity`.
    public static func serverConfiguration(presenting identity: TLSIdentity) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.certificateChain, privateKey: identity.privateKey)
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
