// libFuzzer harness: `when` conditions and `--set` arguments given as bytes.
#include "fuzz_bodies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  entente::fuzz::expression_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
