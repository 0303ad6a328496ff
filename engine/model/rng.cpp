// The noise of a run (include/entente/model/rng.hpp, MODEL.md §2.3): Philox4x32-10
// and Box–Muller with the project's own ln, cos and sin. Compiled with
// -ffp-contract=off: every value is a fixed sequence of correctly rounded IEEE
// operations, the same on every platform; engine/model/noise_wide.cpp computes the
// same sequence several draws at a time (tested bit for bit).
#include "entente/model/rng.hpp"

#include "model/noise_math.hpp"

#include <Random123/philox.h>

#include <bit>
#include <cmath>

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

std::uint32_t noise_id(std::string_view id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
  for (const char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return static_cast<std::uint32_t>(splitmix64(h) >> 32);
}

std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                           std::array<std::uint32_t, 2> key) {
  const r123::Philox4x32 gen;
  const r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const r123::Philox4x32::ctr_type r = gen(c, k);
  return {r[0], r[1], r[2], r[3]};
}

using namespace detail::noise_math;

// ln x for normal x > 0: x = 2^e m with m in [√2/2, √2), then msun's k_log.
double noise_log(double x) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  const std::uint64_t mantissa = bits & 0x000fffffffffffffULL;
  double e = static_cast<double>(static_cast<std::int64_t>(bits >> 52)) - 1023.0;
  double m = std::bit_cast<double>(mantissa | 0x3ff0000000000000ULL);  // [1, 2)
  if (m >= kSqrt2) {
    m = m * 0.5;
    e = e + 1.0;
  }
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const double r = t2 + t1;
  const double hfsq = 0.5 * f * f;
  return e * kLn2Hi - ((hfsq - (s * (hfsq + r) + e * kLn2Lo)) - f);
}

namespace {

// (cos, sin) of (n + f)·π/2 for n in {0, …, 4} and f in [−1/2, 1/2): msun's
// kernels on r = f·π/2, then the quadrant n mod 4.
std::array<double, 2> cos_sin_quadrant(double n, double f) {
  const double r = f * kHalfPi;
  const double z = r * r;
  const double w = z * z;
  const double rs = kS2 + z * (kS3 + z * kS4) + z * w * (kS5 + z * kS6);
  const double sin_r = r + z * r * (kS1 + z * rs);
  const double rc = z * (kC1 + z * (kC2 + z * kC3)) + w * w * (kC4 + z * (kC5 + z * kC6));
  const double hz = 0.5 * z;
  const double one_less = 1.0 - hz;
  const double cos_r = one_less + (((1.0 - one_less) - hz) + z * rc);
  const bool swap = n == 1.0 || n == 3.0;
  const bool negate_cos = n == 1.0 || n == 2.0;
  const bool negate_sin = n == 2.0 || n == 3.0;
  double c = swap ? sin_r : cos_r;
  double s = swap ? cos_r : sin_r;
  if (negate_cos) c = -c;
  if (negate_sin) s = -s;
  return {c, s};
}

}  // namespace

// (cos 2πu, sin 2πu) for u in [0, 1): 4u = n + f with n an integer and f in
// [−1/2, 1/2) (exact), then the kernels on f·π/2 and the quadrant.
std::array<double, 2> noise_cos_sin_turn(double u) {
  const double t = 4.0 * u;
  double n = std::floor(t);
  double f = t - n;
  if (f >= 0.5) {
    f = f - 1.0;
    n = n + 1.0;
  }
  return cos_sin_quadrant(n, f);
}

std::array<double, 2> normal_pair(std::array<std::uint32_t, 4> bits) {
  const std::uint64_t a = (std::uint64_t{bits[0]} << 32) | bits[1];
  const std::uint64_t b = (std::uint64_t{bits[2]} << 32) | bits[3];
  constexpr double kUnit = 1.0 / 9007199254740992.0;  // 2⁻⁵³
  const double u1 = static_cast<double>(static_cast<std::int64_t>((a >> 11) + 1)) * kUnit;
  const double rho = std::sqrt(-2.0 * noise_log(u1));
  // u2 = k·2⁻⁵³ with k = b >> 11 < 2⁵³: 4u2 = n + f with n = k >> 51 and
  // f = (k mod 2⁵¹)·2⁻⁵¹, exactly (what noise_cos_sin_turn(u2) computes).
  const std::uint64_t k = b >> 11;
  double n = static_cast<double>(static_cast<std::int64_t>(k >> 51));
  double f = static_cast<double>(static_cast<std::int64_t>(k & ((std::uint64_t{1} << 51) - 1))) *
             (4.0 * kUnit);
  if (f >= 0.5) {
    f = f - 1.0;
    n = n + 1.0;
  }
  const auto [c, s] = cos_sin_quadrant(n, f);
  return {rho * c, rho * s};
}

double Rng::position(std::uint32_t t, std::uint32_t actor, std::uint32_t axis) const {
  return pair(t, actor, axis, kPositionNoise)[0];
}

double Rng::affinity(std::uint32_t t, std::uint32_t from, std::uint32_t to) const {
  return from < to ? pair(t, from, to, kAffinityNoise)[0] : pair(t, to, from, kAffinityNoise)[1];
}

}  // namespace entente
