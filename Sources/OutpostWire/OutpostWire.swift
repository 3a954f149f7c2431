// OutpostWire: the agent ↔ collector protocol — framing, message codec, batch signing.
//
// `docs/protocol.md` is the byte-level specification; this module is its Swift implementation
// and holds no sockets (the transports wrap `FrameDecoder` and `Message`).
//
// Why a hand-written codec rather than Protocol Buffers: the build machines have no `protoc`,
// and building the swift-protobuf plugin from source on every clean CI run costs about ten
// minutes of a two-core machine. Protobuf would otherwise do: packed repeated fields can carry
// the batch's parallel columns, and swift-protobuf checks lengths against the input. What it
// would not give is a canonical encoding (its serialization is not guaranteed deterministic
// across versions and languages, and the signature covers exact bytes, which the spool keeps as
// they are), and presence bitmaps and delta-coded timestamps would be hand-rolled inside
// `bytes` fields anyway. The price of writing it by hand is honest: about 1,500 lines (with doc
// comments) to keep correct, no generated bindings for other languages (`docs/protocol.md` must
// be implemented from its prose; `Tests/OutpostWireTests/Conformance` holds a Python encoder
// written that way), and no field-level schema evolution: changes need the frame's version byte,
// while the code types (error codes, nack reasons, job kinds) are open. The round-trip property
// tests over every message and the libFuzzer target (`scripts/fuzz-wire.sh`) keep it correct.
//
// Encodings, all documented in `docs/protocol.md`: frame headers are fixed-width big-endian;
// integers inside messages are LEB128 varints (signed ones ZigZag-mapped), minimal form only;
// UUIDs are their 16 RFC 4122 bytes; floats are IEEE 754 binary64 big-endian; strings are
// length-prefixed UTF-8, validated; timestamps are microseconds since the Unix epoch.
