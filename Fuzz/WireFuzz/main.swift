// Entry point of the fuzzer. SwiftPM gives every debug executable a renamed `main` of its own,
// which keeps libFuzzer's `main` out of the link, so this one starts libFuzzer's driver itself.
// `-sanitize=fuzzer` links the driver; it is looked up at run time because Swift cannot import
// the C declaration without a C target.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
typealias RunDriver = @convention(c) (
    UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, TestOneInput
) -> CInt

guard let driver = dlsym(nil, "LLVMFuzzerRunDriver") else {
    let message = "WireFuzz: libFuzzer is not linked; build with scripts/fuzz-wire.sh\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(2)
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(unsafeBitCast(driver, to: RunDriver.self)(&argc, &argv) { data, size in wireFuzzTestOneInput(data, size) })
