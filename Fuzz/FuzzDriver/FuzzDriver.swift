// Starts libFuzzer's driver for a fuzz target. SwiftPM gives every debug executable a renamed
// `main` of its own, which keeps libFuzzer's `main` out of the link, so each target's main
// calls this instead. `-sanitize=fuzzer` links the driver; it is looked up at run time because
// Swift cannot import the C declaration without a C target.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libFuzzer's per-input entry point.
public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

private typealias RunDriver =
    @convention(c) (
        UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        TestOneInput
    ) -> CInt

/// Runs libFuzzer on `testOneInput` with the process's arguments and exits with its status.
public func runFuzzer(named name: String, _ testOneInput: TestOneInput) -> Never {
    guard let driver = dlsym(nil, "LLVMFuzzerRunDriver") else {
        let message = "\(name): libFuzzer is not linked; build with scripts/fuzz-wire.sh\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(unsafeBitCast(driver, to: RunDriver.self)(&argc, &argv, testOneInput))
}
