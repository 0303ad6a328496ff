// The noise's batch draws (MODEL.md §2.3, docs/model.md "Randomness"): a
// whole step's counters through Philox4x32-10 and Box–Muller at once,
// written with Google Highway for AVX2, AVX-512 and (on ARM) NEON and chosen
// at run time with the step (engine/model/step_isa.cpp). The operations are
// engine/model/rng.cpp's, lane by lane: Philox on the low 32-bit halves of
// 64-bit lanes, then the same ln, cos and sin (IEEE +, −, ×, ÷ and √ only;
// this file is compiled with -ffp-contract=off and uses Mul and Add, never
// MulAdd), so every ISA gives the scalar draws' bits (test_noise).

#include "model/wide_targets.hpp"  // first: the targets, before Highway

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "model/noise_wide.cpp"  // found through engine/ on the include path
#include <hwy/foreach_target.h>                    // IWYU pragma: keep
//
#include <hwy/highway.h>

#include <cstdint>

#include "entente/model/rng.hpp"
#include "model/noise_math.hpp"
#include "model/step_parts.hpp"

#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_NEON
HWY_BEFORE_NAMESPACE();
namespace entente::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;
constexpr int kLanes = static_cast<int>(hn::MaxLanes(D()));

using namespace detail::noise_math;
using DU = hn::Repartition<std::uint64_t, D>;  // 64-bit lanes, as many as D
using DI = hn::Repartition<std::int64_t, D>;
using DU32 = hn::Repartition<std::uint32_t, D>;
using VU = hn::Vec<DU>;

// Philox4x32-10 on G × kLanes counters, word w of every counter in the low
// half of a 64-bit lane of c[g][w]; the G groups side by side, so that their
// multiplications overlap. Within the rounds the high halves of the lanes
// hold junk (a product's low word is kept with its high word above it):
// MulEven reads only low halves, and the junk of words 1 and 3 reaches only
// the high halves of words 0 and 2; one mask after the last round clears it.
template <int G>
HWY_INLINE void philox(VU (&c)[G][4], std::uint32_t key0, std::uint32_t key1) {
  const DU du;
  const DU32 d32;
  const auto m0 = hn::BitCast(d32, hn::Set(du, 0xD2511F53ULL));
  const auto m1 = hn::BitCast(d32, hn::Set(du, 0xCD9E8D57ULL));
  for (int round = 0; round < 10; ++round) {
    const VU k0 = hn::Set(du, key0), k1 = hn::Set(du, key1);
    for (int g = 0; g < G; ++g) {
      const VU p0 = hn::MulEven(m0, hn::BitCast(d32, c[g][0]));  // 64-bit products
      const VU p1 = hn::MulEven(m1, hn::BitCast(d32, c[g][2]));
      const VU n0 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p1), c[g][1]), k0);
      const VU n2 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p0), c[g][3]), k1);
      c[g][1] = p1;
      c[g][3] = p0;
      c[g][0] = n0;
      c[g][2] = n2;
    }
    key0 += 0x9E3779B9u;
    key1 += 0xBB67AE85u;
  }
  const VU low = hn::Set(du, 0xffffffffULL);
  for (int g = 0; g < G; ++g) {
    for (int w = 0; w < 4; ++w) c[g][w] = hn::And(c[g][w], low);
  }
}

HWY_INLINE V to_double(VU v) {  // v < 2⁶³
  return hn::ConvertTo(D(), hn::BitCast(DI(), v));
}

// noise_log (engine/model/rng.cpp) for x in (0, 1].
HWY_INLINE V log_unit(V x) {
  const D d;
  const DU du;
  const VU bits = hn::BitCast(du, x);
  const VU mantissa = hn::And(bits, hn::Set(du, 0x000fffffffffffffULL));
  V e = hn::Sub(to_double(hn::ShiftRight<52>(bits)), hn::Set(d, 1023.0));
  V m = hn::BitCast(d, hn::Or(mantissa, hn::Set(du, 0x3ff0000000000000ULL)));
  const auto high = hn::Ge(m, hn::Set(d, kSqrt2));
  m = hn::IfThenElse(high, hn::Mul(m, hn::Set(d, 0.5)), m);
  e = hn::IfThenElse(high, hn::Add(e, hn::Set(d, 1.0)), e);
  const V f = hn::Sub(m, hn::Set(d, 1.0));
  const V s = hn::Div(f, hn::Add(hn::Set(d, 2.0), f));
  const V z = hn::Mul(s, s);
  const V w = hn::Mul(z, z);
  const auto c = [&](double v) { return hn::Set(d, v); };
  const V t1 = hn::Mul(w, hn::Add(c(kLg2), hn::Mul(w, hn::Add(c(kLg4), hn::Mul(w, c(kLg6))))));
  const V t2 = hn::Mul(
      z, hn::Add(c(kLg1),
                 hn::Mul(w, hn::Add(c(kLg3), hn::Mul(w, hn::Add(c(kLg5), hn::Mul(w, c(kLg7))))))));
  const V r = hn::Add(t2, t1);
  const V hfsq = hn::Mul(hn::Mul(c(0.5), f), f);
  // e ln2_hi − ((hfsq − (s (hfsq + r) + e ln2_lo)) − f)
  const V inner = hn::Add(hn::Mul(s, hn::Add(hfsq, r)), hn::Mul(e, c(kLn2Lo)));
  return hn::Sub(hn::Mul(e, c(kLn2Hi)), hn::Sub(hn::Sub(hfsq, inner), f));
}

// cos_sin_quadrant (engine/model/rng.cpp).
HWY_INLINE void cos_sin_quadrant(V n, V f, V& cos_out, V& sin_out) {
  const D d;
  const auto c = [&](double v) { return hn::Set(d, v); };
  const V r = hn::Mul(f, c(kHalfPi));
  const V z = hn::Mul(r, r);
  const V w = hn::Mul(z, z);
  // kS2 + z (kS3 + z kS4) + z w (kS5 + z kS6)
  const V rs = hn::Add(hn::Add(c(kS2), hn::Mul(z, hn::Add(c(kS3), hn::Mul(z, c(kS4))))),
                       hn::Mul(hn::Mul(z, w), hn::Add(c(kS5), hn::Mul(z, c(kS6)))));
  const V sin_r = hn::Add(r, hn::Mul(hn::Mul(z, r), hn::Add(c(kS1), hn::Mul(z, rs))));
  // z (kC1 + z (kC2 + z kC3)) + w w (kC4 + z (kC5 + z kC6))
  const V rc = hn::Add(
      hn::Mul(z, hn::Add(c(kC1), hn::Mul(z, hn::Add(c(kC2), hn::Mul(z, c(kC3)))))),
      hn::Mul(hn::Mul(w, w), hn::Add(c(kC4), hn::Mul(z, hn::Add(c(kC5), hn::Mul(z, c(kC6)))))));
  const V hz = hn::Mul(c(0.5), z);
  const V one_less = hn::Sub(c(1.0), hz);
  const V cos_r =
      hn::Add(one_less, hn::Add(hn::Sub(hn::Sub(c(1.0), one_less), hz), hn::Mul(z, rc)));
  const auto is1 = hn::Eq(n, c(1.0)), is2 = hn::Eq(n, c(2.0)), is3 = hn::Eq(n, c(3.0));
  const auto swap = hn::Or(is1, is3);
  const V cc = hn::IfThenElse(swap, sin_r, cos_r);
  const V ss = hn::IfThenElse(swap, cos_r, sin_r);
  cos_out = hn::IfThenElse(hn::Or(is1, is2), hn::Neg(cc), cc);
  sin_out = hn::IfThenElse(hn::Or(is2, is3), hn::Neg(ss), ss);
}

// G vectors of counters from index k on (whole vectors: the arrays are
// padded), their draws into z0 and z1.
template <int G>
HWY_INLINE void draw_group(const std::uint32_t* key, std::uint32_t t, const std::uint32_t* kind,
                           const std::uint32_t* a, const std::uint32_t* b, int k, double* z0,
                           double* z1) {
  const D d;
  const DU du;
  const hn::Rebind<std::uint32_t, DU> d32;
  constexpr double kUnit = 1.0 / 9007199254740992.0;  // 2⁻⁵³
  VU c[G][4];
  for (int g = 0; g < G; ++g) {
    const int at = k + g * kLanes;
    c[g][0] = hn::Set(du, t);
    c[g][1] = hn::PromoteTo(du, hn::LoadU(d32, a + at));
    c[g][2] = hn::PromoteTo(du, hn::LoadU(d32, b + at));
    c[g][3] = hn::PromoteTo(du, hn::LoadU(d32, kind + at));
  }
  philox<G>(c, key[0], key[1]);
  for (int g = 0; g < G; ++g) {
    const VU hi = hn::Or(hn::ShiftLeft<32>(c[g][0]), c[g][1]);
    const VU lo = hn::Or(hn::ShiftLeft<32>(c[g][2]), c[g][3]);
    const V u1 =
        hn::Mul(to_double(hn::Add(hn::ShiftRight<11>(hi), hn::Set(du, 1))), hn::Set(d, kUnit));
    const V rho = hn::Sqrt(hn::Mul(hn::Set(d, -2.0), log_unit(u1)));
    const VU k2 = hn::ShiftRight<11>(lo);
    V quadrant = to_double(hn::ShiftRight<51>(k2));
    V f = hn::Mul(to_double(hn::And(k2, hn::Set(du, (std::uint64_t{1} << 51) - 1))),
                  hn::Set(d, 4.0 * kUnit));
    const auto upper = hn::Ge(f, hn::Set(d, 0.5));
    f = hn::IfThenElse(upper, hn::Sub(f, hn::Set(d, 1.0)), f);
    quadrant = hn::IfThenElse(upper, hn::Add(quadrant, hn::Set(d, 1.0)), quadrant);
    V cs, sn;
    cos_sin_quadrant(quadrant, f, cs, sn);
    const int at = k + g * kLanes;
    hn::StoreU(hn::Mul(rho, cs), d, z0 + at);
    hn::StoreU(hn::Mul(rho, sn), d, z1 + at);
  }
}

// The vectors of counters in groups of at most kMaxGroup, as even as
// possible: a group's chains (Philox's ten rounds, then ln, √, cos and sin)
// are long and serial, so a vector left alone waits on its own latency;
// side by side they overlap.
constexpr int kMaxGroup = HWY_TARGET == HWY_AVX3 ? 8 : 3;

void DrawNormals(const std::uint32_t* key, std::uint32_t t, const std::uint32_t* kind,
                 const std::uint32_t* a, const std::uint32_t* b, int count, double* z0,
                 double* z1) {
  int vectors = (count + kLanes - 1) / kLanes;
  int k = 0;
  while (vectors > 0) {
    const int groups = (vectors + kMaxGroup - 1) / kMaxGroup;
    const int g = (vectors + groups - 1) / groups;
    switch (g) {
#define ENTENTE_GROUP(n)                          \
  case n:                                         \
    draw_group<n>(key, t, kind, a, b, k, z0, z1); \
    break;
      ENTENTE_GROUP(1)
      ENTENTE_GROUP(2)
      ENTENTE_GROUP(3)
      ENTENTE_GROUP(4)
      ENTENTE_GROUP(5)
      ENTENTE_GROUP(6)
#if HWY_TARGET == HWY_AVX3
      ENTENTE_GROUP(7)
      ENTENTE_GROUP(8)
#endif
#undef ENTENTE_GROUP
      default:
        break;
    }
    k += g * kLanes;
    vectors -= g;
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace entente::detail
HWY_AFTER_NAMESPACE();
#endif

#if HWY_ONCE
namespace entente::detail {

namespace {

using DrawFn = void (*)(const std::uint32_t*, std::uint32_t, const std::uint32_t*,
                        const std::uint32_t*, const std::uint32_t*, int, double*, double*);

// The draws of the step's ISA (step_isa() is only ever one the CPU has).
DrawFn draw_kernel(StepIsa isa) {
  ENTENTE_WIDE_KERNEL(isa, DrawNormals)
}

}  // namespace

void draw_normals(const Rng& rng, std::uint32_t t, const std::uint32_t* kind,
                  const std::uint32_t* a, const std::uint32_t* b, int count, double* z0,
                  double* z1) {
  if (const DrawFn wide = draw_kernel(step_isa())) {
    wide(rng.key().data(), t, kind, a, b, count, z0, z1);
    return;
  }
  for (int k = 0; k < count; ++k) {
    const auto z = rng.pair(t, a[k], b[k], kind[k]);
    z0[k] = z[0];
    z1[k] = z[1];
  }
}

}  // namespace entente::detail
#endif  // HWY_ONCE
