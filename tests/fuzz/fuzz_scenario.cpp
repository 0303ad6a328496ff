// libFuzzer harness: scenario files given as bytes (load, validate, show,
// run a few steps). Seed corpus: scenarios/ and tests/data/.
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  entente::fuzz::scenario_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
