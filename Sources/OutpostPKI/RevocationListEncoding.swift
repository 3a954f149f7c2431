import Foundation
import SwiftASN1
import X509

/// DER encoding of an RFC 5280 §5.1 `CertificateList` (swift-certificates parses and builds
/// certificates, CSRs and OCSP messages but has no CRL type; its Name and Extension types are
/// reused here).
///
/// ```
/// CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier,
///                                signatureValue BIT STRING }
/// TBSCertList ::= SEQUENCE { version INTEGER (v2 = 1), signature AlgorithmIdentifier, issuer Name,
///     thisUpdate Time, nextUpdate Time,
///     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time,
///         crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
///     crlExtensions [0] EXPLICIT Extensions OPTIONAL }
/// ```
enum RevocationListEncoding {
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let crlNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let reasonCode: ASN1ObjectIdentifier = [2, 5, 29, 21]

    /// The DER `TBSCertList`: the bytes the CA signs.
    static func tbsCertList(
        issuer: DistinguishedName,
        thisUpdate: Date,
        nextUpdate: Date,
        entries: [CertificateRevocationList.Entry],
        authorityKeyIdentifier: ArraySlice<UInt8>,
        number: Int
    ) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)  // v2
            try serializeSignatureAlgorithm(into: &coder)
            try coder.serialize(issuer)
            try serialize(time: thisUpdate, into: &coder)
            try serialize(time: nextUpdate, into: &coder)
            // RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked.
            if !entries.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in entries { try serialize(entry, into: &coder) }
                }
            }
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(
                        Certificate.Extension(
                            AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier), critical: false))
                    try coder.serialize(
                        Certificate.Extension(oid: crlNumber, critical: false, value: encoded(number)[...]))
                }
            }
        }
        return coder.serializedBytes
    }

    /// The DER `CertificateList` of a signed `TBSCertList`; `signature` is a DER ECDSA-Sig-Value.
    static func certificateList(tbsCertList: [UInt8], signature: [UInt8]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbsCertList)
            try serializeSignatureAlgorithm(into: &coder)
            try coder.serialize(ASN1BitString(bytes: signature[...]))
        }
        return coder.serializedBytes
    }

    private static func serialize(_ entry: CertificateRevocationList.Entry, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(entry.serialNumber.bytes)
            try serialize(time: entry.revocationDate, into: &coder)
            if let reason = entry.reason {
                var value = DER.Serializer()
                try reason.rawValue.serialize(into: &value, withIdentifier: .enumerated)
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(
                        Certificate.Extension(oid: reasonCode, critical: false, value: value.serializedBytes[...]))
                }
            }
        }
    }

    /// AlgorithmIdentifier ecdsa-with-SHA256, parameters absent (RFC 5758 §3.2).
    private static func serializeSignatureAlgorithm(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(ecdsaWithSHA256)
        }
    }

    /// RFC 5280 §5.1.2.4 Time, to the second: UTCTime for the years 1950 to 2049, otherwise
    /// GeneralizedTime.
    private static func serialize(time date: Date, into coder: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
            let hours = parts.hour, let minutes = parts.minute, let seconds = parts.second
        else { throw ASN1Error.invalidASN1Object(reason: "date \(date) has no UTC calendar components") }
        if (1950..<2050).contains(year) {
            try coder.serialize(
                UTCTime(year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: seconds))
        } else {
            try coder.serialize(
                GeneralizedTime(
                    year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: seconds,
                    fractionalSeconds: 0))
        }
    }

    private static func encoded(_ value: Int) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(value)
        return coder.serializedBytes
    }
}
