import Foundation
@_spi(FixedExpiryValidationTime) import X509

/// Trust on first contact, as `kubeadm join --discovery-token-ca-cert-hash` does it: an
/// enrolling agent has no CA certificate yet, only the CA fingerprint from its token. The
/// collector's enrolment endpoint presents its server certificate *and* the CA certificate;
/// the agent accepts the connection only if one presented certificate has the pinned
/// fingerprint, is a CA, and the server certificate chains to it (signature, validity,
/// ExtendedKeyUsage serverAuth). The matched CA certificate is then stored as `ca.crt`.
public enum CAPinning {
    /// Longest chain accepted from the server.
    public static let maximumChainLength = 5

    /// Checks `presentedChain` (leaf first, as the TLS server sent it) against the pinned CA.
    ///
    /// - Parameters:
    ///   - presentedChain: The server's certificates, leaf first, including the CA certificate.
    ///   - pinnedCA: The CA fingerprint from the enrolment token.
    ///   - now: The time validity is checked at; `nil` (the default) is the moment of validation.
    /// - Returns: The pinned CA certificate, to store.
    public static func verifyServerChain(
        _ presentedChain: [Certificate],
        pinnedCA: CertificateFingerprint,
        now: Date? = nil
    ) async -> Result<Certificate, CAPinningError> {
        guard let leaf = presentedChain.first else { return .failure(.emptyChain) }
        guard presentedChain.count <= maximumChainLength else { return .failure(.chainTooLong(presentedChain.count)) }
        guard
            let ca = presentedChain.first(where: { (try? CertificateFingerprint(of: $0)) == pinnedCA })
        else { return .failure(.noCertificateMatchesPin) }
        guard case .isCertificateAuthority = try? ca.extensions.basicConstraints else {
            return .failure(.pinnedCertificateIsNotACA)
        }
        let rfc5280 = now.map { RFC5280Policy(fixedExpiryValidationTime: $0) } ?? RFC5280Policy()
        var verifier = Verifier(rootCertificates: CertificateStore([ca])) {
            rfc5280
            ExtendedKeyUsagePolicy(usage: .serverAuth)
        }
        let intermediates = presentedChain.dropFirst().filter { $0 != ca }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates)) {
        case .validCertificate:
            return .success(ca)
        case .couldNotValidate(let failures):
            let reasons = failures.map(\.policyFailureReason.description).joined(separator: "; ")
            return .failure(
                .serverCertificateNotIssuedByPinnedCA(reasons.isEmpty ? "no chain to the pinned CA" : reasons))
        }
    }
}

/// The collector's certificate chain does not match the enrolment token's CA fingerprint.
public enum CAPinningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server presented no certificate.
    case emptyChain
    /// The server presented more than ``CAPinning/maximumChainLength`` certificates.
    case chainTooLong(Int)
    /// No presented certificate has the token's fingerprint (wrong collector, or an impostor).
    case noCertificateMatchesPin
    /// The certificate with the token's fingerprint is not a CA certificate.
    case pinnedCertificateIsNotACA
    /// The server certificate does not validly chain to the pinned CA.
    case serverCertificateNotIssuedByPinnedCA(String)

    public var description: String {
        switch self {
        case .emptyChain: "the collector presented no certificate"
        case .chainTooLong(let count): "the collector presented \(count) certificates"
        case .noCertificateMatchesPin: "no certificate from the collector matches the token's CA fingerprint"
        case .pinnedCertificateIsNotACA: "the certificate matching the token's fingerprint is not a CA"
        case .serverCertificateNotIssuedByPinnedCA(let reason):
            "the collector's certificate is not validly issued by the pinned CA: \(reason)"
        }
    }
}
