/// Polls `read` every `interval` until its value satisfies `condition` or `limit` passes, and
/// returns the last value read: a test asserts on it, so a timeout fails with what was there.
///
/// For state no event announces (rows a collector writes, a remote session's status).
public func eventually<Value>(
    within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(50),
    _ read: () async throws -> Value, until condition: (Value) -> Bool
) async throws -> Value {
    let deadline = ContinuousClock.now + limit
    var value = try await read()
    while !condition(value), ContinuousClock.now < deadline {
        try await Task.sleep(for: interval)
        value = try await read()
    }
    return value
}

/// Polls `condition` until it holds or `limit` passes; returns whether it held.
public func eventually(
    within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    try await eventually(within: limit, every: interval, condition, until: { $0 })
}
