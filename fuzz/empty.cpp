// The empty libFuzzer target: the throughput baseline of
// bench/fuzz_throughput.py (every target's exec/s is compared with this
// one's, built with the same flags). Not a fuzz target of its own.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
