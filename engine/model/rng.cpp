#include "entente/model/rng.hpp"

namespace entente {

std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t run_seed(std::uint64_t seed, std::uint64_t run) {
  return splitmix64(splitmix64(seed) ^ splitmix64(run + 1));
}

}  // namespace entente
