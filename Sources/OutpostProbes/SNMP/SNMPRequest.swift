/// One request handed to an I/O loop, with the continuation its caller awaits.
struct SNMPRequest: Sendable {
    enum Operation: Sendable {
        case get
        case getNext
        case getBulk(nonRepeaters: Int, maxRepetitions: Int)
    }

    var target: SNMPTarget
    var operation: Operation
    var oids: [NumericOID]
    var continuation: CheckedContinuation<Result<[DecodedVarBind], SNMPError>, Never>

    func complete(_ result: Result<[DecodedVarBind], SNMPError>) {
        continuation.resume(returning: result)
    }
}
