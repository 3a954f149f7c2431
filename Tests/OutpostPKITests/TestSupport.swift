import Foundation
import OutpostPKI
import Testing
import X509

/// A fresh directory under the system temp directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("outpost-pki-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

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

/// The `openssl` command line tool: an independent X.509 implementation to check our output.
enum OpenSSL {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    struct Missing: Error, CustomStringConvertible {
        let description = "openssl not found in PATH: the test script must install the Debian package 'openssl'"
    }

    /// Runs `openssl` with `arguments`; throws (failing the test) when the tool is missing.
    static func run(_ arguments: [String]) throws -> Output {
        guard let executable = locate() else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // stderr of these commands is small; read stdout to EOF first, then stderr.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    /// `openssl x509 -noout -text` of the PEM certificate at `path`.
    static func text(ofCertificate path: String) throws -> String {
        let output = try run(["x509", "-in", path, "-noout", "-text"])
        #expect(output.status == 0, "openssl x509 failed: \(output.stderr)")
        return output.stdout
    }

    /// `openssl verify -CAfile caPath certificatePath`, plus any extra options.
    static func verify(_ certificatePath: String, caFile caPath: String, options: [String] = []) throws -> Output {
        try run(["verify"] + options + ["-CAfile", caPath, certificatePath])
    }

    static func locate() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/openssl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
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
