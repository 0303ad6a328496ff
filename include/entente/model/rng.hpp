// The noise of a run (MODEL.md §2.3, v1.1): counter-based normal draws.
//
// Every draw ξ ~ N(0, 1) is a pure function of (run key, step, the ids of what
// it perturbs), computed by Philox4x32-10 (Random123, Salmon et al. 2011):
//
//   key     = (k0, k1): the low and high 32 bits of run_seed(seed, run)
//   counter = (t, h(a), h(b), d)
//     t     the step being computed (S(t−1) → S(t), so t = 1 for the first)
//     d = 0 a position:  a = the actor's id, b = the axis's id
//     d = 1 an affinity: {a, b} = the two actors' ids, ordered so that
//           h(a) < h(b); one counter serves both directions (below)
//   h(id)   = the high 32 bits of splitmix64(FNV-1a-64(the id's bytes)):
//             noise_id(). Ids of one kind (actors; axes) must hash apart: the
//             scenario loader refuses two actor (or axis) ids with the same
//             h, naming both, and make_workspace throws for such a model.
//
// Uniforms to normals (Box–Muller, both outputs): Philox's four words
// (r0, r1, r2, r3) give u1 = (⌊(r0·2³² + r1) / 2¹¹⌋ + 1) · 2⁻⁵³ ∈ (0, 1] and
// u2 = ⌊(r2·2³² + r3) / 2¹¹⌋ · 2⁻⁵³ ∈ [0, 1), then ρ = √(−2 ln u1),
// z0 = ρ cos 2πu2, z1 = ρ sin 2πu2. A position takes z0 (z1 is unused); the
// affinity a→b takes z0 and b→a takes z1. ln, cos and sin are the project's
// own (engine/model/rng.cpp: FreeBSD msun's kernels, |error| < 1 ulp), written
// with IEEE +, −, ×, ÷ and √ only and compiled without fused multiply-adds,
// so every draw has the same bits on every platform and every SIMD width.
//
// Hence a draw does not depend on threads, on the order of draws, or on the
// other actors, axes, events or moves of the scenario: adding an actor leaves
// every existing draw as it was (common random numbers across structure).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

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

// h(id): the 32-bit value of an actor or axis id in the noise counters.
std::uint32_t noise_id(std::string_view id);

// The counter's last word.
inline constexpr std::uint32_t kPositionNoise = 0;
inline constexpr std::uint32_t kAffinityNoise = 1;

// Philox4x32-10 of Random123 (the reference the vector code is tested to).
std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                           std::array<std::uint32_t, 2> key);

// The Box–Muller pair (z0, z1) of Philox's four output words, as above.
std::array<double, 2> normal_pair(std::array<std::uint32_t, 4> bits);

// The project's deterministic ln (for x in (0, 1]), cos and sin of 2πu (for u
// in [0, 1)): the functions the draws use, exposed for the tests.
double noise_log(double x);
std::array<double, 2> noise_cos_sin_turn(double u);

// A run's noise: the key of (seed, run). Stateless; every draw is addressed.
class Rng {
 public:
  // `seed` is run_seed(scenario seed, run).
  explicit Rng(std::uint64_t seed)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)} {}
  const std::array<std::uint32_t, 2>& key() const { return key_; }

  // ξ for the position of actor `actor` (h of its id) on axis `axis` at step t.
  double position(std::uint32_t t, std::uint32_t actor, std::uint32_t axis) const;
  // ξ for the affinity from → to at step t (h of their ids; from ≠ to).
  double affinity(std::uint32_t t, std::uint32_t from, std::uint32_t to) const;
  // Both of a counter's draws (z0, z1).
  std::array<double, 2> pair(std::uint32_t t, std::uint32_t a, std::uint32_t b,
                             std::uint32_t kind) const {
    return normal_pair(philox4x32_10({t, a, b, kind}, key_));
  }

 private:
  std::array<std::uint32_t, 2> key_;
};

}  // namespace entente
