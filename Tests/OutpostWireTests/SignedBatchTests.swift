import Crypto
import Foundation
import OutpostCore
import Testing

@testable import OutpostWire

/// Signing, verification, tampering and the on-disk form of batches.
@Suite("Signed batches")
struct SignedBatchTests {
    @Test("random batches round-trip through sign → serialize → parse → verify")
    func roundTrip() throws {
        for seed in PropertySeeds.cases(200, salt: 0xBA7C) {
            var random = RandomValues(seed: seed)
            let batch = random.batch()
            let signed = try SignedBatch.sign(batch, with: TestKeys.agent)
            #expect(signed.signature.count == 64)
            let stored = signed.serializedBytes
            let parsed = try SignedBatch(serializedBytes: stored)
            #expect(parsed == signed, PropertySeeds.replay(seed))
            let verified = try parsed.verify(with: TestKeys.agent.publicKey)
            #expect(verified == batch, PropertySeeds.replay(seed))
            #expect(
                verified.resultCount == batch.pingResults.count + batch.itemSamples.count + batch.genericResults.count)
            guard verified == batch else { return }
        }
    }

    @Test("flipping any bit of the batch bytes or the signature is refused as an invalid signature")
    func tamperedBytesAreRefused() throws {
        var random = RandomValues(seed: 7)
        let signed = try SignedBatch.sign(random.batch(maximumRows: 5), with: TestKeys.agent)
        for index in signed.encodedBatch.indices {
            var bytes = signed.encodedBatch
            bytes[index] ^= 1 << UInt8(index % 8)
            #expect(throws: WireError.signatureInvalid, "batch byte \(index)") {
                try SignedBatch(encodedBatch: bytes, signature: signed.signature).verify(with: TestKeys.agent.publicKey)
            }
        }
        for index in signed.signature.indices {
            var signature = signed.signature
            signature[index] ^= 0x80
            #expect(throws: WireError.signatureInvalid, "signature byte \(index)") {
                try SignedBatch(encodedBatch: signed.encodedBatch, signature: signature).verify(
                    with: TestKeys.agent.publicKey)
            }
        }
    }

    @Test("altering any byte of the stored form is refused: by the parser or the signature check")
    func tamperedStoredBytesAreRefused() throws {
        var random = RandomValues(seed: 8)
        let stored = try SignedBatch.sign(random.batch(maximumRows: 5), with: TestKeys.agent).serializedBytes
        for index in stored.indices {
            var bytes = stored
            bytes[index] &+= 1 + UInt8(index % 255)
            #expect(throws: WireError.self, "stored byte \(index)") {
                try SignedBatch(serializedBytes: bytes).verify(with: TestKeys.agent.publicKey)
            }
        }
    }

    @Test("a batch signed by another key is refused, and its claimed sequence can still be named in a Nack")
    func otherKeyIsRefused() throws {
        var random = RandomValues(seed: 9)
        let batch = random.batch()
        let signed = try SignedBatch.sign(batch, with: TestKeys.other)
        #expect(throws: WireError.signatureInvalid) { try signed.verify(with: TestKeys.agent.publicKey) }
        #expect(signed.unverifiedSequence == batch.sequence)
        #expect(
            SignedBatch(encodedBatch: Array(signed.encodedBatch.prefix(16)), signature: signed.signature)
                .unverifiedSequence == nil)
    }

    @Test("verification comes before decoding: signed garbage is a decode error, unsigned garbage a signature error")
    func verifyBeforeDecode() throws {
        let garbage: [UInt8] = [1, 2, 3]
        let unsigned = SignedBatch(encodedBatch: garbage, signature: [UInt8](repeating: 0, count: 64))
        #expect(throws: WireError.signatureInvalid) { try unsigned.verify(with: TestKeys.agent.publicKey) }

        let signature = try TestKeys.agent.signature(
            for: SHA256.hash(data: Array("outpost-batch-v1".utf8) + garbage))
        let signedGarbage = SignedBatch(encodedBatch: garbage, signature: Array(signature.rawRepresentation))
        #expect(throws: WireError.truncated(field: "batch.agentID")) {
            try signedGarbage.verify(with: TestKeys.agent.publicKey)
        }
    }

    @Test("the stored form is a format byte, a length, the batch and 64 signature bytes")
    func storedLayout() throws {
        var random = RandomValues(seed: 10)
        let signed = try SignedBatch.sign(random.batch(maximumRows: 3), with: TestKeys.agent)
        let stored = signed.serializedBytes
        #expect(stored.first == 1)
        #expect(Array(stored.suffix(64)) == signed.signature)
        #expect(throws: WireError.unsupportedSignedBatchFormat(2)) {
            try SignedBatch(serializedBytes: [2] + stored.dropFirst())
        }
        #expect(throws: WireError.trailingBytes(count: 1)) { try SignedBatch(serializedBytes: stored + [0]) }
        // The batch frame's payload is the stored form itself, so the spool's bytes go out unchanged.
        #expect(try Message.batch(signed).frame().payload == stored)
    }
}
