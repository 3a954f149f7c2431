import Foundation
import NIOSSL
import OutpostPKI
import OutpostTransport
import X509

/// The collector's TLS identity: `server.key` and `server.crt`, the latter holding the server
/// certificate followed by the CA certificate. Presenting the CA lets an enrolling agent, which
/// knows only the CA fingerprint from its token, pin it (see `certs/README.md`).
public struct CollectorServerIdentity: Sendable {
    /// File name of the collector's TLS key in the CA directory.
    public static let keyFileName = "server.key"
    /// File name of the collector's certificate chain in the CA directory.
    public static let certificateFileName = "server.crt"

    /// The certificate chain presented to clients, server certificate first.
    public let certificateChain: [Certificate]
    /// The server certificate's private key.
    public let privateKey: P256Key

    /// Pairs a chain with its key; the first certificate must certify `privateKey`.
    public init(certificateChain: [Certificate], privateKey: P256Key) throws {
        guard let leaf = certificateChain.first, leaf.publicKey == privateKey.publicKey else {
            throw PKIFileError(
                path: Self.certificateFileName,
                kind: .invalidContent("the server certificate does not match server.key"))
        }
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// Loads `server.key` and `server.crt` from `directory`.
    public static func load(from directory: String) throws -> CollectorServerIdentity {
        let chainPath = "\(directory)/\(certificateFileName)"
        let size = (try FileManager.default.attributesOfItem(atPath: chainPath)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= PKIDefaults.maximumPEMFileSize else {
            throw PKIFileError(path: chainPath, kind: .tooLarge(limit: PKIDefaults.maximumPEMFileSize))
        }
        let pem = try String(contentsOfFile: chainPath, encoding: .utf8)
        let chain: [Certificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)).map {
                try Certificate(derEncoded: $0.toDERBytes())
            }
        } catch {
            throw PKIFileError(path: chainPath, kind: .invalidContent("not a PEM certificate chain"))
        }
        return try CollectorServerIdentity(
            certificateChain: chain, privateKey: try P256Key.load(from: "\(directory)/\(keyFileName)"))
    }

    /// The chain as PEM text, server certificate first, as `server.crt` holds it.
    public var chainPEM: String {
        get throws { try certificateChain.map(CertificateFile.pem).joined() }
    }

    /// Writes `server.key` (0600) and `server.crt` (0644) into `directory`, each through a
    /// temporary file, fsync and rename. Unless `replace` is set, refuses with
    /// ``OutpostPKI/PKIFileError/Kind/alreadyExists`` when either exists, writing nothing.
    public func save(to directory: String, replace: Bool = false) throws {
        let keyPath = "\(directory)/\(Self.keyFileName)"
        let chainPath = "\(directory)/\(Self.certificateFileName)"
        if !replace {
            for path in [keyPath, chainPath] where FileManager.default.fileExists(atPath: path) {
                throw PKIFileError(path: path, kind: .alreadyExists)
            }
        }
        try privateKey.save(to: keyPath, replace: replace)
        try Self.writeDurably(Array(try chainPEM.utf8), to: chainPath, directory: directory)
    }

    /// Temporary file (0644), fsync, rename over `path`, fsync of the directory: a crash leaves
    /// the old chain or the new one. (OutpostPKI's writer is internal and writes single certificates.)
    private static func writeDurably(_ bytes: [UInt8], to path: String, directory: String) throws {
        let temporary = "\(path).tmp-\(UInt32.random(in: .min ... .max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PKIFileError(path: temporary, kind: .system(operation: "open", errno: errno)) }
        var failure: PKIFileError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = PKIFileError(path: temporary, kind: .system(operation: "write", errno: errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 {
            failure = PKIFileError(path: temporary, kind: .system(operation: "fsync", errno: errno))
        }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 {
            failure = PKIFileError(path: path, kind: .system(operation: "rename", errno: errno))
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else {
            throw PKIFileError(path: directory, kind: .system(operation: "open", errno: errno))
        }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else {
            throw PKIFileError(path: directory, kind: .system(operation: "fsync", errno: errno))
        }
    }

    /// The chain and key as presented in TLS.
    var tlsIdentity: TLSIdentity {
        get throws { try TLSIdentity(certificateChain: certificateChain, privateKeyPEM: try privateKey.pemEncoded) }
    }
}
