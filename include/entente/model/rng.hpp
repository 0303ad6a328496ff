// The per-run random generator (MODEL.md §2.3).
#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>

namespace entente {

// The seed of run `run` of a scenario seeded with `seed`:
//
//   run_seed(seed, run) = splitmix64(splitmix64(seed) ^ splitmix64(run + 1))
//
// where splitmix64 is Steele, Lea & Flood's finaliser (z += 0x9E3779B97F4A7C15;
// z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) * 0x94D049BB133111EB;
// z ^ z>>31). Depends on nothing but (seed, run): a run's trajectory does not
// depend on how many threads or processes share the ensemble.
std::uint64_t splitmix64(std::uint64_t z);
std::uint64_t run_seed(std::uint64_t seed, std::uint64_t run);

// A run's generator: Boost's 64-bit Mersenne Twister and Boost's normal
// distribution (ziggurat), both specified by Boost's own code rather than by
// the standard library, so the numbers are the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // A standard normal draw ξ ~ N(0, 1).
  double normal() { return normal_(engine_); }

 private:
  boost::random::mt19937_64 engine_;
  boost::random::normal_distribution<double> normal_{0.0, 1.0};
};

}  // namespace entente
