import Foundation
import OutpostCollector
import OutpostPKI
import Testing

/// The collector refuses its private keys (`server.key`, `ca.key`) while their group or other
/// users may access them, and tells the operator which file to fix and how.
@Suite struct KeyFilePermissionCommandTests {
    @Test("server.key open to group or others: the collector's TLS identity does not load")
    func serverKey() async throws {
        try await withCADirectory { directory in
            _ = try await CollectorCommandLineTests.collector(
                ["ca", "issue-server", "--dir", directory, "--dns", "localhost"], environment: [:])
            let keyPath = "\(directory)/\(CollectorServerIdentity.keyFileName)"
            for mode in [0o640, 0o604] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keyPath)
                #expect(throws: PKIFileError(path: keyPath, kind: .tooPermissive(mode: mode_t(mode)))) {
                    try CollectorServerIdentity.load(from: directory)
                }
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
            #expect(try CollectorServerIdentity.load(from: directory).certificateChain.count == 2)
        }
    }

    @Test("ca.key open to group or others: `ca issue-server` names the file and the fix")
    func caKeyOnTheCommandLine() async throws {
        try await withCADirectory { directory in
            let keyPath = "\(directory)/\(CertificateAuthority.keyFileName)"
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
            let output = try await CollectorCommandLineTests.fails(
                ["ca", "issue-server", "--dir", directory, "--dns", "localhost"], environment: [:])
            #expect(
                output.contains(
                    "\(keyPath): mode 644 lets other users access this secret key; run chmod 600 \(keyPath)"),
                "\(output)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/\(CollectorServerIdentity.keyFileName)"))
        }
    }

    /// Runs `body` with a CA made by `outpost-collector ca init` in a fresh directory.
    private func withCADirectory(_ body: (String) async throws -> Void) async throws {
        let root = NSTemporaryDirectory() + "outpost-key-modes-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = "\(root)/ca"
        _ = try await CollectorCommandLineTests.collector(["ca", "init", "--dir", directory], environment: [:])
        try await body(directory)
    }
}
