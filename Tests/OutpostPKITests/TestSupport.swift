import Foundation
import OutpostPKI
import Testing
import X509

/// Writes `text` to `path` (test fixtures).
func writeText(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
}

/// The bytes of the file at `path`.
func contents(of path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// The permission bits of `path`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The trimmed line following the line containing `marker`.
func lineAfter(_ marker: String, in text: String) -> String? {
    let lines = text.split(separator: "\n")
    guard let index = lines.firstIndex(where: { $0.contains(marker) }), index + 1 < lines.count else { return nil }
    return lines[index + 1].trimmingCharacters(in: .whitespaces)
}

/// A CA and an agent key, with an issuance shortcut.
struct PKIFixture {
    let ca: CertificateAuthority
    let agentKey: P256Key

    init(commonName: String = "Outpost CA") throws {
        ca = try CertificateAuthority.create(commonName: commonName)
        agentKey = P256Key.generate()
    }

    func issueAgent(
        branch: String = "Branch 042",
        lifetime: TimeInterval = 30 * 86_400,
        now: Date = Date()
    ) throws -> IssuedAgentCertificate {
        try ca.issueAgentCertificate(
            csr: try agentKey.makeCertificateSigningRequest(),
            branch: branch,
            lifetime: lifetime,
            now: now
        )
    }
}
