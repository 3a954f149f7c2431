import CSocketBatch

#if canImport(Glibc)
    import Glibc
#endif

/// Preallocated datagrams for `sendmmsg`/`recvmmsg`: one system call moves a whole batch.
///
/// Each message has its own buffer of ``slotBytes`` and its own socket address. Filled for
/// sending with ``append(to:)`` (then ``count`` messages go out), or refilled by a receive
/// (``count`` messages came in, each with ``received(_:)`` and ``source(_:)``).
///
/// Not `Sendable`: owned by the engine's I/O thread.
final class ICMPMessageBatch {
    /// Messages the batch holds at most.
    let capacity: Int
    /// Bytes of each message's buffer.
    let slotBytes: Int
    /// Messages filled for sending, or received by the last receive.
    var count: Int { countStorage.pointee }
    /// ``count``, in allocated memory like the messages: a stored `var` of a class would cost a
    /// run-time exclusivity check at every message.
    private let countStorage: UnsafeMutablePointer<Int>
    /// `struct mmsghdr` of each message, for the system calls.
    let headers: UnsafeMutablePointer<MessageHeader>
    private let vectors: UnsafeMutablePointer<iovec>
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let buffers: UnsafeMutableRawPointer
    /// Per message: whether the kernel refused to send it (set by ``ICMPSocket/send(_:)``).
    private let refused: UnsafeMutablePointer<Bool>

    /// `struct mmsghdr`: a message and, after the call, its length.
    struct MessageHeader {
        var message: msghdr
        var length: UInt32
    }

    init(capacity: Int, slotBytes: Int) {
        precondition(capacity > 0 && slotBytes > 0)
        precondition(
            MemoryLayout<MessageHeader>.stride == Int(outpost_mmsghdr_size())
                && MemoryLayout<MessageHeader>.offset(of: \.length) == Int(outpost_mmsghdr_length_offset()),
            "MessageHeader must lay out as struct mmsghdr")
        self.capacity = capacity
        self.slotBytes = slotBytes
        headers = .allocate(capacity: capacity)
        vectors = .allocate(capacity: capacity)
        addresses = .allocate(capacity: capacity)
        refused = .allocate(capacity: capacity)
        countStorage = .allocate(capacity: 1)
        countStorage.initialize(to: 0)
        buffers = .allocate(byteCount: capacity * slotBytes, alignment: 8)
        buffers.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * slotBytes)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        refused.initialize(repeating: false, count: capacity)
        for index in 0..<capacity {
            vectors.advanced(by: index).initialize(to: iovec(iov_base: buffers + index * slotBytes, iov_len: slotBytes))
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(addresses.advanced(by: index))
            header.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            header.msg_iov = vectors.advanced(by: index)
            header.msg_iovlen = 1
            headers.advanced(by: index).initialize(to: MessageHeader(message: header, length: 0))
        }
    }

    deinit {
        headers.deallocate()
        vectors.deallocate()
        addresses.deallocate()
        refused.deallocate()
        countStorage.deallocate()
        buffers.deallocate()
    }

    /// Whether no more message fits.
    var isFull: Bool { count == capacity }

    /// Empties the batch for filling.
    func removeAll() {
        countStorage.pointee = 0
    }

    /// Adds a message of ``slotBytes`` to `destination` and returns its buffer to fill.
    /// Requires `!isFull`.
    func append(to destination: ICMPAddress) -> UnsafeMutableRawBufferPointer {
        precondition(!isFull)
        let index = count
        countStorage.pointee = index + 1
        headers[index].message.msg_namelen = destination.withSocketAddress { address, length in
            UnsafeMutableRawPointer(addresses.advanced(by: index)).copyMemory(from: address, byteCount: Int(length))
            return length
        }
        vectors[index].iov_len = slotBytes
        refused[index] = false
        return UnsafeMutableRawBufferPointer(start: buffers + index * slotBytes, count: slotBytes)
    }

    /// Readies every message to receive into, before `recvmmsg`.
    func prepareForReceive() {
        for index in 0..<capacity {
            headers[index].message.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[index].length = 0
            vectors[index].iov_len = slotBytes
        }
        countStorage.pointee = 0
    }

    /// Records how many messages the last receive filled.
    func setReceived(_ received: Int) {
        precondition((0...capacity).contains(received))
        countStorage.pointee = received
    }

    /// The bytes of received message `index` (truncated to ``slotBytes``).
    func received(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index < count)
        return UnsafeRawBufferPointer(start: buffers + index * slotBytes, count: Int(headers[index].length))
    }

    /// The source of received message `index`, when the kernel gave an IPv4 or IPv6 one.
    func source(_ index: Int) -> ICMPAddress? {
        precondition(index < count)
        return ICMPAddress(socketAddress: addresses[index])
    }

    /// Whether the kernel refused to send message `index`.
    func isRefused(_ index: Int) -> Bool {
        refused[index]
    }

    func markRefused(_ index: Int) {
        refused[index] = true
    }
}
