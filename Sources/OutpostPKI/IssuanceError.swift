/// A certificate could not be issued; the request is refused and nothing is recorded.
public enum IssuanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The CSR is larger than ``PKIDefaults/maximumCSRSize``; it was not parsed.
    case csrTooLarge(size: Int, limit: Int)
    /// The CSR is not a DER or PEM PKCS#10 request.
    case csrMalformed(String)
    /// The CSR's self-signature does not verify: the requester did not prove it holds the key.
    case csrSignatureInvalid
    /// The CSR's key is not ECDSA P-256.
    case unsupportedKeyType
    /// The branch name is empty, longer than 64 characters or contains control characters.
    case invalidBranchName
    /// A DNS name for a server certificate is not a valid host name.
    case invalidDNSName(String)
    /// An IP address for a server certificate is not an IPv4 or IPv6 literal.
    case invalidIPAddress(String)
    /// A server certificate needs at least one DNS name or IP address.
    case noSubjectAlternativeNames
    /// The lifetime of a certificate (or the validity of a CRL) is not positive.
    case invalidLifetime

    public var description: String {
        switch self {
        case .csrTooLarge(let size, let limit): "certificate request of \(size) bytes exceeds \(limit) bytes"
        case .csrMalformed(let reason): "malformed certificate request: \(reason)"
        case .csrSignatureInvalid: "certificate request signature does not verify (no proof of possession)"
        case .unsupportedKeyType: "certificate request key is not ECDSA P-256"
        case .invalidBranchName: "branch name must be 1 to 64 characters without control characters"
        case .invalidDNSName(let name): "invalid DNS name \(name.debugDescription)"
        case .invalidIPAddress(let address): "invalid IP address \(address.debugDescription)"
        case .noSubjectAlternativeNames: "a server certificate needs at least one DNS name or IP address"
        case .invalidLifetime: "certificate lifetime (or CRL validity) must be positive"
        }
    }
}
