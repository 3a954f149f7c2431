import Crypto
import X509

/// Parses a certificate signing request from untrusted bytes and checks proof of possession.
enum CertificateRequestValidation {
    /// Accepts DER, or PEM (`-----BEGIN CERTIFICATE REQUEST-----`) text; the size is checked
    /// before any parsing. Only the public key of a valid request is used by the CA: requested
    /// subjects and extensions are ignored, the CA decides every name.
    static func validatedPublicKey(_ bytes: [UInt8]) throws(IssuanceError) -> Certificate.PublicKey {
        guard bytes.count <= PKIDefaults.maximumCSRSize else {
            throw .csrTooLarge(size: bytes.count, limit: PKIDefaults.maximumCSRSize)
        }
        let request: CertificateSigningRequest
        do {
            if bytes.starts(with: Array("-----BEGIN".utf8)) {
                request = try CertificateSigningRequest(pemEncoded: String(decoding: bytes, as: UTF8.self))
            } else {
                request = try CertificateSigningRequest(derEncoded: bytes)
            }
        } catch {
            throw .csrMalformed(String(describing: error))
        }
        guard P256.Signing.PublicKey(request.publicKey) != nil else { throw .unsupportedKeyType }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw .csrSignatureInvalid
        }
        return request.publicKey
    }
}
