import Foundation
import OutpostTestSupport

/// A throwaway private CA made with the `openssl` tool, issuing server certificates: what an
/// operator's own CA would give a remote PostgreSQL.
struct OpenSSLTestCA {
    /// `ca.crt`, the CA certificate (PEM): what `sslrootcert` names.
    let certificate: String
    private let key: String
    private let directory: String

    /// A new CA (P-256, valid one day) in `directory`, named `name`.
    init(in directory: String, name: String) async throws {
        self.directory = directory
        certificate = "\(directory)/\(name).crt"
        key = "\(directory)/\(name).key"
        try await OpenSSL.checked([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// Issues a server certificate for the DNS names `dnsNames` (its only subject alternative
    /// names); returns its PEM files.
    func issueServer(named name: String, dnsNames: [String]) async throws -> TestPostgresCluster.TLSFiles {
        let files = TestPostgresCluster.TLSFiles(
            certificate: "\(directory)/\(name).crt", key: "\(directory)/\(name).key")
        let request = "\(directory)/\(name).csr"
        let extensions = "\(directory)/\(name).ext"
        try await OpenSSL.checked([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", files.key, "-out", request, "-subj", "/CN=\(dnsNames.first ?? name)",
        ])
        try """
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = \(dnsNames.map { "DNS:\($0)" }.joined(separator: ", "))

        """.write(toFile: extensions, atomically: false, encoding: .utf8)
        try await OpenSSL.checked([
            "x509", "-req", "-in", request, "-CA", certificate, "-CAkey", key, "-CAcreateserial",
            "-days", "1", "-extfile", extensions, "-out", files.certificate,
        ])
        return files
    }
}
