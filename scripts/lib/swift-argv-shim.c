/*
 * Preloaded beside libfaketime by scripts/fault-suite: under libfaketime's LD_PRELOAD, Swift
 * binaries see an empty CommandLine.arguments (measured with Swift 6.3.1 and libfaketime
 * 0.9.10: `print(CommandLine.arguments)` prints `[]`), so outpost-agent and outpost-collector
 * would ignore their subcommand and flags. This constructor hands the process's real argv to
 * the Swift runtime's documented override hook before main runs.
 * Build: cc -shared -fPIC -o swift-argv-shim.so swift-argv-shim.c -ldl
 */
#include <dlfcn.h>

static void hand_argv_to_swift(int argc, char **argv, char **envp) {
    (void)envp;
    void (*override)(char **, int) = (void (*)(char **, int))dlsym(RTLD_DEFAULT, "_swift_stdlib_overrideUnsafeArgvArgc");
    if (override) override(argv, argc);
}

/* glibc calls .init_array entries with (argc, argv, envp). */
__attribute__((section(".init_array"), used)) static void (*entry)(int, char **, char **) = hand_argv_to_swift;
