import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing

@Suite("Master key: AES-GCM sealing of credentials")
struct MasterKeyTests {
    static let context = Array("snmp_credentials/community_encrypted/row-1".utf8)

    @Test("a sealed value opens with the same key and context; the format is versioned and carries the key fingerprint")
    func roundTrip() throws {
        let key = MasterKey.generate()
        let sealed = try key.seal("s3cret-community", context: Self.context)
        #expect(try key.open(sealed, context: Self.context) == "s3cret-community")
        let bytes = try #require(Data(base64Encoded: sealed))
        #expect(bytes.first == MasterKey.sealedFormatVersion)
        #expect(Array(bytes[1..<9]) == key.fingerprint)
        #expect(bytes.count == 1 + 8 + 12 + "s3cret-community".utf8.count + 16)
        #expect(!sealed.contains("s3cret"))
        // A fresh nonce per seal: equal plaintexts do not give equal ciphertexts.
        #expect(try key.seal("s3cret-community", context: Self.context) != sealed)
        #expect(try MasterKey.fingerprintHex(ofSealed: sealed) == key.fingerprintHex)
        #expect("\(key)" == "MasterKey(\(key.fingerprintHex))")
    }

    @Test("every altered byte, another context and another key are refused with a clear error")
    func tampering() throws {
        let key = MasterKey.generate()
        let sealed = try key.seal("authPass123", context: Self.context)
        let bytes = Array(try #require(Data(base64Encoded: sealed)))
        for index in bytes.indices {
            var altered = bytes
            altered[index] ^= 0x01
            let error = #expect(throws: SealedSecretError.self) {
                try key.open(Data(altered).base64EncodedString(), context: Self.context)
            }
            switch index {
            case 0: #expect(error == .unsupportedVersion(bytes[0] ^ 0x01))
            case 1..<9: #expect(error.map { if case .wrongKey = $0 { true } else { false } } == true, "byte \(index)")
            default: #expect(error == .authenticationFailed, "byte \(index)")
            }
        }
        #expect(throws: SealedSecretError.authenticationFailed) {
            try key.open(sealed, context: Array("snmp_credentials/community_encrypted/row-2".utf8))
        }
        let other = MasterKey.generate()
        #expect(throws: SealedSecretError.wrongKey(sealedUnder: key.fingerprintHex, masterKey: other.fingerprintHex)) {
            try other.open(sealed, context: Self.context)
        }
        #expect(throws: SealedSecretError.self) { try key.open("not base64!", context: Self.context) }
        #expect(throws: SealedSecretError.self) {
            try key.open(Data([1, 2, 3]).base64EncodedString(), context: Self.context)
        }
    }

    @Test("key files: created 0600, never overwritten, world-readable ones refused, wrong lengths refused")
    func files() async throws {
        try await withTemporaryDirectory("master-key") { directory in
            let path = directory + "/master.key"
            let key = try MasterKey.create(at: path)
            let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            #expect(try MasterKey.load(path: path).fingerprint == key.fingerprint)
            #expect(throws: MasterKeyError.self) { try MasterKey.create(at: path) }
            #expect(try MasterKey.load(path: path).fingerprint == key.fingerprint, "the existing key was kept")

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: MasterKeyError.file(PKIFileError(path: path, kind: .tooPermissive(mode: 0o644)))) {
                try MasterKey.load(path: path)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            #expect(try MasterKey.load(path: path).fingerprint == key.fingerprint, "group access is allowed")

            #expect(throws: MasterKeyError.wrongLength(16)) {
                try MasterKey(base64: Data(repeating: 7, count: 16).base64EncodedString())
            }
            #expect(throws: MasterKeyError.notBase64) { try MasterKey(base64: "***") }
            #expect(throws: MasterKeyError.self) { try MasterKey.load(path: directory + "/missing.key") }
        }
    }
}
