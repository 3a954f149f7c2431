import Crypto

// libFuzzer target for the wire protocol's decoders; built and run by `scripts/fuzz-wire.sh`.
//
// Oracles beyond "no crash, no sanitizer report": every input that decodes must re-encode to
// exactly the bytes it came from (the encoding is canonical), so a decoder that accepts
// something its encoder would write differently stops the run.
@testable import OutpostWire

/// A fixed P-256 public key (x9.63 form): random inputs never carry a valid signature for it,
/// which exercises the refusal path of `SignedBatch.verify(with:)`.
private let verificationKeyX963: [UInt8] = [
    0x04, 0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
    0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96,
    0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16,
    0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5,
]

@_cdecl("LLVMFuzzerTestOneInput")
func wireFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    fuzzFrameStream(bytes)
    fuzzBatch(bytes)
    fuzzSignedBatch(bytes)
    return 0
}

/// The input as a byte stream of frames, fed in two pieces to exercise "need more data".
private func fuzzFrameStream(_ bytes: [UInt8]) {
    let decoder = FrameDecoder(maximumPayloadSize: 1 << 20)
    var buffer = ArraySlice(bytes.prefix(bytes.count / 2))
    var pending = bytes.dropFirst(bytes.count / 2)
    while true {
        let frame: Frame?
        do {
            frame = try decoder.decodeFrame(from: &buffer)
        } catch {
            return
        }
        guard let frame else {
            guard !pending.isEmpty else { return }
            buffer.append(contentsOf: pending)
            pending = []
            continue
        }
        if let message = try? Message(frame: frame) {
            guard let again = try? message.frame(), again == frame else {
                fatalError("\(frame.type) decoded but did not re-encode to the same payload")
            }
        }
    }
}

/// The input as the bytes of a batch whose signature already checked out.
private func fuzzBatch(_ bytes: [UInt8]) {
    guard let batch = try? Batch(decoding: bytes) else { return }
    guard let again = try? batch.encoded(), again == bytes else {
        fatalError("batch decoded but did not re-encode to the same bytes")
    }
    precondition(batch.resultCount == batch.pingResults.count + batch.itemSamples.count + batch.genericResults.count)
}

/// The input as a spooled signed batch.
private func fuzzSignedBatch(_ bytes: [UInt8]) {
    guard let signed = try? SignedBatch(serializedBytes: bytes) else { return }
    precondition(signed.serializedBytes == bytes, "signed batch parsed but did not re-serialize to the same bytes")
    if let sequence = signed.unverifiedSequence, let batch = try? Batch(decoding: signed.encodedBatch) {
        precondition(sequence == batch.sequence, "unverifiedSequence disagrees with the decoded batch")
    }
    do {
        // The P-256 generator point: a valid public key nobody signs batches with.
        let key = try! P256.Signing.PublicKey(x963Representation: verificationKeyX963)
        _ = try signed.verify(with: key)
        fatalError("a random signature verified")
    } catch {
        precondition(error == .signatureInvalid, "unexpected \(error)")
    }
}
