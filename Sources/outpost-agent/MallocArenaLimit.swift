#if canImport(Glibc)
    import Glibc
#endif

/// Caps glibc's malloc at two arenas for the agent's process.
///
/// glibc gives each thread that contends for the heap an arena of its own, up to eight per core;
/// the agent's work hops between the threads of Swift's cooperative pool, NIO and the probe
/// engines, so every arena ends up holding its own share of free chunks. Two arenas keep the
/// agent's anonymous memory about a quarter lower at 10,000 devices with no measurable CPU cost
/// (docs/architecture.md, "Agent memory"). `MALLOC_ARENA_MAX` in the environment still wins, as
/// the operator's explicit choice; without glibc this does nothing.
enum MallocArenaLimit {
    /// glibc's `M_ARENA_MAX` parameter number (malloc.h), not exported to Swift.
    private static let arenaMaxParameter: Int32 = -8
    /// Arenas the agent allows.
    static let arenas: Int32 = 2

    /// Applies the cap; call it first thing, before the agent starts its threads' work.
    static func apply() {
        #if canImport(Glibc)
            guard getenv("MALLOC_ARENA_MAX") == nil,
                let symbol = dlsym(nil, "mallopt")  // RTLD_DEFAULT
            else { return }
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaxParameter, arenas)
        #endif
    }
}
