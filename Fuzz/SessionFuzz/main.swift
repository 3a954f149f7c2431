import FuzzDriver

runFuzzer(named: "SessionFuzz") { data, size in sessionFuzzTestOneInput(data, size) }
