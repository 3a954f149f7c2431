import FuzzDriver

runFuzzer(named: "WireFuzz") { data, size in wireFuzzTestOneInput(data, size) }
