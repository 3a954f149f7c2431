import SwiftASN1
import X509

extension P256Key {
    /// A DER PKCS#10 certificate signing request for this key, signed by it (proof of
    /// possession). The CA takes only the public key from it; `commonName` is informational.
    public func makeCertificateSigningRequest(commonName: String = "outpost-agent") throws -> [UInt8] {
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: try DistinguishedName { CommonName(commonName) },
            privateKey: certificateKey,
            attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256
        )
        var serializer = DER.Serializer()
        try serializer.serialize(request)
        return serializer.serializedBytes
    }
}
