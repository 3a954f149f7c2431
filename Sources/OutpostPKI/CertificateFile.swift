import X509

/// PEM certificate files: bounded reads, atomic durable writes (mode 0644).
public enum CertificateFile {
    /// Loads a PEM certificate file (the first certificate if it holds several).
    public static func load(from path: String) throws -> Certificate {
        let bytes = try SecureFile.load(path, limit: PKIDefaults.maximumPEMFileSize)
        do {
            return try Certificate(pemEncoded: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw PKIFileError(path: path, kind: .invalidContent("not a PEM X.509 certificate"))
        }
    }

    /// Writes `certificate` as PEM to `path` through a temporary file, fsync and rename, then
    /// fsyncs the directory. Unless `replace` is set, fails if `path` exists.
    public static func save(_ certificate: Certificate, to path: String, replace: Bool) throws {
        try SecureFile.store(Array(try pem(certificate).utf8), at: path, mode: 0o644, replace: replace)
    }

    /// `certificate` as PEM text with a final newline.
    public static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }
}
