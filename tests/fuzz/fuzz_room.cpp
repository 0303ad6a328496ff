// libFuzzer harness: bytes as requests to a room (fuzz_room_body.hpp).
#include "fuzz/fuzz_room_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  entente::fuzz::room_bytes(std::string_view(reinterpret_cast<const char*>(data), size),
                            ENTENTE_SOURCE_DIR "/scenarios/baseline.toml");
  return 0;
}
