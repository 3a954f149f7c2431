import SwiftASN1
import X509

/// Requires the leaf certificate to carry an ExtendedKeyUsage extension listing `usage`
/// (swift-certificates has no such policy; RFC 5280 leaves EKU to the application).
struct ExtendedKeyUsagePolicy: VerifierPolicy, Sendable {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]
    let usage: ExtendedKeyUsage.Usage

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        do {
            guard let usages = try leaf.extensions.extendedKeyUsage else {
                return .failsToMeetPolicy(reason: "leaf certificate has no ExtendedKeyUsage extension")
            }
            guard usages.contains(usage) else {
                return .failsToMeetPolicy(reason: "leaf certificate's ExtendedKeyUsage lacks \(usage)")
            }
            return .meetsPolicy
        } catch {
            return .failsToMeetPolicy(reason: "leaf certificate's ExtendedKeyUsage is malformed")
        }
    }
}
