import Foundation
import OutpostSettings
import OutpostTransport

extension CollectorSettings {
    /// The operator HTTP port: where it binds (`http_listen`), HTTPS with `http_tls_cert` and
    /// `http_tls_key` (PEM files) or with the collector's own server identity
    /// (`http_tls_server_identity = true`), and the origins browsers use (`http_public_origin`,
    /// comma-separated, e.g. `https://noc.example.ge`).
    ///
    /// Plain HTTP carries passwords and session cookies in clear, so it binds only a loopback
    /// address unless `http_allow_plain_remote = true` (for a TLS proxy in front).
    ///
    /// - Parameter serverIdentity: the collector's identity as PEM (chain, key), used when
    ///   `http_tls_server_identity` is set; `nil` only to validate the options.
    public func operatorHTTP(serverIdentity: (chainPEM: String, keyPEM: String)?) throws
        -> OperatorHTTPConfiguration
    {
        let endpoint = try httpListen()
        var configuration = OperatorHTTPConfiguration(host: endpoint.host, port: endpoint.port)
        let certificate = try settings.text(Keys.httpTLSCert, flag: flags.httpTLSCert)
        let key = try settings.text(Keys.httpTLSKey, flag: flags.httpTLSKey)
        let useIdentity =
            try settings.value(Keys.httpTLSServerIdentity, expected: "true or false", SettingParsers.boolean) ?? false
        switch (certificate, key) {
        case (let (certificatePath, source)?, let (keyPath, _)?):
            if useIdentity { throw SettingsError("http_tls_server_identity and http_tls_cert exclude each other") }
            do {
                let identity = try TLSIdentity(
                    certificateChainPEM: try String(contentsOfFile: certificatePath, encoding: .utf8),
                    privateKeyPEM: try String(contentsOfFile: keyPath, encoding: .utf8))
                configuration.tls = OperatorHTTPTLS.serverConfiguration(presenting: identity)
            } catch {
                throw SettingsError("http_tls_cert/http_tls_key (from \(source)): \(error)")
            }
        case (nil, nil):
            if useIdentity, let serverIdentity {
                let identity = try TLSIdentity(
                    certificateChainPEM: serverIdentity.chainPEM, privateKeyPEM: serverIdentity.keyPEM)
                configuration.tls = OperatorHTTPTLS.serverConfiguration(presenting: identity)
            }
        default:
            throw SettingsError("http_tls_cert and http_tls_key go together")
        }
        if let (origins, source) = try settings.text(Keys.httpPublicOrigin, flag: flags.httpPublicOrigin) {
            configuration.publicOrigins = try origins.split(separator: ",").map { origin in
                let origin = origin.trimmingCharacters(in: .whitespaces)
                guard let url = URL(string: origin), ["http", "https"].contains(url.scheme), url.host != nil,
                    url.path.isEmpty, url.query == nil
                else {
                    throw SettingsError(
                        "http_public_origin (from \(source)): \(origin.debugDescription) is not an origin like https://noc.example.ge[:port]"
                    )
                }
                return origin
            }
        }
        let allowPlain =
            try settings.value(Keys.httpAllowPlainRemote, expected: "true or false", SettingParsers.boolean) ?? false
        let secured = configuration.tls != nil || (useIdentity && serverIdentity == nil)
        if !secured, !allowPlain, !Self.isLoopback(endpoint.host) {
            throw SettingsError(
                """
                http_listen \(endpoint) is not a loopback address, and plain HTTP would carry passwords in clear: \
                give http_tls_cert and http_tls_key (or http_tls_server_identity = true), or set \
                http_allow_plain_remote = true when a TLS proxy stands in front
                """)
        }
        configuration.secureCookies = secured || allowPlain && !Self.isLoopback(endpoint.host)
        return configuration
    }

    private static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
