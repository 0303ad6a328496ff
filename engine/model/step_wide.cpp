// The wide step at N = 7 (the baseline's size), written once with Google
// Highway and compiled for AVX2, AVX-512 and (on ARM) NEON, chosen at run
// time (engine/model/step_isa.cpp); the noise's batch draws are
// engine/model/noise_wide.cpp. A row of seven pairs
// is eight lanes: one AVX-512 vector, two AVX2 vectors, four NEON vectors.
//
// Every value is the same sequence of IEEE operations as engine/model/step.cpp and
// engine/model/step_affinities.cpp compute it (additions, multiplications,
// divisions and comparisons round or compare exactly alike at any vector
// width; nothing is fused — this file is compiled with -ffp-contract=off and
// uses Highway's Mul and Add, never MulAdd — and no sum is reordered:
// positions put actors i in the lanes and add the sources j in order;
// affinities put the partners j in the lanes and sum the products over k in
// order). The only operation written differently is the similarity's d / K,
// a multiplication by 1 / K when K is a power of two (the same correctly
// rounded result).
//
// Highway compiles each target's copy with that target's attributes (no
// file-wide -mavx2/-mavx512f), so nothing compiled for AVX2 or AVX-512 can
// leak into the portable path.

#include "model/wide_targets.hpp"  // first: the targets, before Highway

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "model/step_wide.cpp"  // found through engine/ on the include path
#include <hwy/foreach_target.h>                   // IWYU pragma: keep
//
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/balance_products.hpp"
#include "model/step_parts.hpp"

// Only the targets the step dispatches to get the code (the static baseline
// target, SCALAR or EMU128, is compiled empty).
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_NEON
HWY_BEFORE_NAMESPACE();
namespace entente::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr int kN = 7;
constexpr int kPad = 8;  // lanes of a row; lane 7 is padding

using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;
using M = hn::Mask<D>;
constexpr int kLanes = static_cast<int>(hn::MaxLanes(D()));
constexpr int kChunks = kPad / kLanes;  // vectors per row
static_assert(kChunks * kLanes == kPad, "a row is a whole number of vectors");

// One row of eight doubles as kChunks vectors, and the operations the step
// needs, chunk by chunk.
struct Row {
  V c[kChunks];
};
struct RowMask {
  M c[kChunks];
};

HWY_INLINE Row load(const double* HWY_RESTRICT p) {  // p: kPad doubles, aligned
  const D d;
  Row r;
  for (int k = 0; k < kChunks; ++k) r.c[k] = hn::Load(d, p + k * kLanes);
  return r;
}
HWY_INLINE void store(const Row& r, double* HWY_RESTRICT p) {
  const D d;
  for (int k = 0; k < kChunks; ++k) hn::Store(r.c[k], d, p + k * kLanes);
}
HWY_INLINE Row splat(double v) {
  const D d;
  Row r;
  for (int k = 0; k < kChunks; ++k) r.c[k] = hn::Set(d, v);
  return r;
}
#define ENTENTE_ROW_OP(name, expr)                     \
  HWY_INLINE Row name(const Row& a, const Row& b) {    \
    Row r;                                             \
    for (int k = 0; k < kChunks; ++k) r.c[k] = (expr); \
    return r;                                          \
  }
ENTENTE_ROW_OP(add, hn::Add(a.c[k], b.c[k]))
ENTENTE_ROW_OP(sub, hn::Sub(a.c[k], b.c[k]))
ENTENTE_ROW_OP(mul, hn::Mul(a.c[k], b.c[k]))
ENTENTE_ROW_OP(div, hn::Div(a.c[k], b.c[k]))
#undef ENTENTE_ROW_OP
HWY_INLINE Row abs(const Row& a) {
  Row r;
  for (int k = 0; k < kChunks; ++k) r.c[k] = hn::Abs(a.c[k]);
  return r;
}
HWY_INLINE RowMask greater(const Row& a, const Row& b) {  // a > b (false for NaN)
  RowMask m;
  for (int k = 0; k < kChunks; ++k) m.c[k] = hn::Gt(a.c[k], b.c[k]);
  return m;
}
HWY_INLINE RowMask both(const RowMask& a, const RowMask& b) {
  RowMask m;
  for (int k = 0; k < kChunks; ++k) m.c[k] = hn::And(a.c[k], b.c[k]);
  return m;
}
HWY_INLINE bool any(const RowMask& m) {
  const D d;
  bool out = false;
  for (int k = 0; k < kChunks; ++k) out = out || !hn::AllFalse(d, m.c[k]);
  return out;
}
HWY_INLINE Row select(const RowMask& m, const Row& yes, const Row& no) {
  Row r;
  for (int k = 0; k < kChunks; ++k) r.c[k] = hn::IfThenElse(m.c[k], yes.c[k], no.c[k]);
  return r;
}
HWY_INLINE Row select_zero(const RowMask& m, const Row& yes) {
  Row r;
  for (int k = 0; k < kChunks; ++k) r.c[k] = hn::IfThenElseZero(m.c[k], yes.c[k]);
  return r;
}
// The mask whose lane l is set where bit l of `bits` is (bits 0…7: the
// row), loaded from the bits as the CPU's own mask (AVX-512: a k-register)
// rather than computed with comparisons.
HWY_INLINE RowMask mask_bits(unsigned bits) {
  const D d;
  RowMask m;
  for (int k = 0; k < kChunks; ++k) {
    const auto chunk = static_cast<std::uint8_t>((bits >> (k * kLanes)) & ((1u << kLanes) - 1));
    m.c[k] = hn::LoadMaskBits(d, &chunk);
  }
  return m;
}
// The lanes 0…6 other than `skip` (skip = −1: all seven).
HWY_INLINE RowMask lanes_but(int skip) {
  return mask_bits(0x7Fu & ~(skip >= 0 ? 1u << skip : 0u));
}
HWY_INLINE RowMask lane(int i) {
  return mask_bits(1u << i);
}
// x > 0 ? 1 : (x < 0 ? −1 : 0), as the scalar code writes it.
HWY_INLINE Row sign(const Row& x) {
  const Row zero = splat(0.0);
  const Row up = select_zero(greater(x, zero), splat(1.0));
  return select(greater(zero, x), splat(-1.0), up);
}
// std::clamp(v, −1, 1): v < −1 ? −1 : (1 < v ? 1 : v).
HWY_INLINE Row clip(const Row& v) {
  const Row high = select(greater(v, splat(1.0)), splat(1.0), v);
  return select(greater(splat(-1.0), v), splat(-1.0), high);
}

// Seven doubles from memory into a row (lane 7: 0) and back. On x86 the
// last vector is a masked load or store (nothing touched past the seventh
// double, no fault); on NEON, which has none, through an aligned copy.
constexpr bool kMaskedMemory = HWY_TARGET != HWY_NEON;
HWY_INLINE Row load7(const double* HWY_RESTRICT p) {
  const D d;
  Row r;
  if constexpr (kMaskedMemory) {
    for (int k = 0; k + 1 < kChunks; ++k) r.c[k] = hn::LoadU(d, p + k * kLanes);
    constexpr int kLast = (kChunks - 1) * kLanes;
    r.c[kChunks - 1] = hn::MaskedLoad(hn::FirstN(d, kN - kLast), d, p + kLast);
  } else {
    HWY_ALIGN double buffer[kPad];
    std::memcpy(buffer, p, sizeof(double) * kN);
    buffer[kN] = 0.0;
    r = load(buffer);
  }
  return r;
}
HWY_INLINE void store7(const Row& r, double* HWY_RESTRICT p) {
  const D d;
  if constexpr (kMaskedMemory) {
    for (int k = 0; k + 1 < kChunks; ++k) hn::StoreU(r.c[k], d, p + k * kLanes);
    constexpr int kLast = (kChunks - 1) * kLanes;
    hn::BlendedStore(r.c[kChunks - 1], hn::FirstN(d, kN - kLast), d, p + kLast);
  } else {
    HWY_ALIGN double buffer[kPad];
    store(r, buffer);
    std::memcpy(p, buffer, sizeof(double) * kN);
  }
}

// rows[j] becomes column j of the 8×8 matrix whose rows were rows[0…7].
#if HWY_TARGET == HWY_AVX3
// Eight lanes: three rounds of ConcatEven/ConcatOdd, each rotating the
// six bits (row, lane) of every element's address by one.
HWY_INLINE void transpose(Row rows[kPad]) {
  const D d;
  for (int round = 0; round < 3; ++round) {
    V out[kPad];
    for (int m = 0; m < 4; ++m) {
      out[m] = hn::ConcatEven(d, rows[2 * m + 1].c[0], rows[2 * m].c[0]);
      out[m + 4] = hn::ConcatOdd(d, rows[2 * m + 1].c[0], rows[2 * m].c[0]);
    }
    for (int k = 0; k < kPad; ++k) rows[k].c[0] = out[k];
  }
}
#elif HWY_TARGET == HWY_AVX2
// Four lanes: the four 4×4 blocks, each transposed with two rounds of
// interleaves and 128-bit half concatenations; the off-diagonal blocks
// trade places.
HWY_INLINE void transpose4(V& a, V& b, V& c, V& e) {
  const D d;
  const V t0 = hn::InterleaveLower(d, a, b), t1 = hn::InterleaveUpper(d, a, b);
  const V t2 = hn::InterleaveLower(d, c, e), t3 = hn::InterleaveUpper(d, c, e);
  a = hn::ConcatLowerLower(d, t2, t0);
  b = hn::ConcatLowerLower(d, t3, t1);
  c = hn::ConcatUpperUpper(d, t2, t0);
  e = hn::ConcatUpperUpper(d, t3, t1);
}
HWY_INLINE void transpose(Row rows[kPad]) {
  for (int h = 0; h < 2; ++h) {
    for (int top = 0; top < 8; top += 4) {
      transpose4(rows[top].c[h], rows[top + 1].c[h], rows[top + 2].c[h], rows[top + 3].c[h]);
    }
  }
  for (int j = 0; j < 4; ++j) {  // blocks (rows 0–3, lanes 4–7) and (rows 4–7, lanes 0–3)
    const V upper = rows[j].c[1];
    rows[j].c[1] = rows[j + 4].c[0];
    rows[j + 4].c[0] = upper;
  }
}
#else
// Through memory (NEON: two lanes).
HWY_INLINE void transpose(Row rows[kPad]) {
  HWY_ALIGN double m[kPad][kPad];
  for (int i = 0; i < kPad; ++i) store(rows[i], m[i]);
  HWY_ALIGN double t[kPad][kPad];
  for (int i = 0; i < kPad; ++i) {
    for (int j = 0; j < kPad; ++j) t[j][i] = m[i][j];
  }
  for (int j = 0; j < kPad; ++j) rows[j] = load(t[j]);
}
#endif

// The rows of a 7×7 row-major matrix, transposed: out[j] lane i = m[i][j].
HWY_INLINE void load_transposed(const double* HWY_RESTRICT m, Row out[kPad]) {
  for (int i = 0; i < kN; ++i) out[i] = load7(m + i * kN);
  out[kN] = splat(0.0);
  transpose(out);
}

// §2.1 positions, then the position noise and the clip (step_positions).
// Lanes are actors i; P[j] holds W[i][j] w_j, then v[i][j], for all i.
HWY_INLINE void positions(const Model& model, const State& state, Workspace& ws) {
  const Rates& r = state.rates;
  const int K = model.k;
  const double* const w = state.w.data();
  HWY_ALIGN double lanes[kPad];
  Row Wt[kPad], Rt[kPad];
  load_transposed(state.W.data(), Wt);
  load_transposed(state.R.data(), Rt);
  RowMask but[kN];
  for (int j = 0; j < kN; ++j) but[j] = lanes_but(j);

  Row P[kN];
  Row denom = splat(0.0);
  for (int j = 0; j < kN; ++j) {
    P[j] = select_zero(but[j], mul(Wt[j], splat(w[j])));
    denom = add(denom, P[j]);
  }
  const RowMask weighted = greater(denom, splat(0.0));
  const Row influence = splat(r.influence);
  Row total = splat(0.0);
  for (int j = 0; j < kN; ++j) {
    const Row a_hat = select_zero(weighted, div(P[j], denom));
    const Row v = mul(mul(influence, a_hat), abs(Rt[j]));
    P[j] = select_zero(but[j], v);
    total = add(total, P[j]);
  }
  Row anchor_weight = load7(model.stubbornness.data());
  total = add(total, anchor_weight);
  const RowMask over = both(greater(total, splat(1.0)), lanes_but(-1));
  if (any(over)) {  // §2.1: never overshoot
    for (Row& p : P) p = select(over, div(p, total), p);
    anchor_weight = select(over, div(anchor_weight, total), anchor_weight);
  }
  // Each actor's σx (its own where set), the noise where σx > 0.
  HWY_ALIGN double sigma[kPad] = {};
  for (int i = 0; i < kN; ++i) {
    const double own = model.actor_noise(i);
    sigma[i] = std::isnan(own) ? r.noise_position : own;
  }
  const Row s = load(sigma);
  const RowMask noisy = greater(s, splat(0.0));
  const bool any_noise = any(noisy);
  HWY_ALIGN double ideal[kPad] = {}, xi[kPad] = {};
  Row sgn[kN];  // sign(r_ji), the same on every axis
  for (int j = 0; j < kN; ++j) sgn[j] = sign(Rt[j]);
  for (int a = 0; a < K; ++a) {
    const Row xa = load7(ws.x_t.data() + a * kN);
    Row sum = xa;
    for (int j = 0; j < kN; ++j) {
      const Row xja = splat(state.x(j, a));
      const Row term = mul(P[j], sub(mul(sgn[j], xja), xa));
      sum = select(but[j], add(sum, term), sum);
    }
    // ((sum + anchor) + noise), clipped: x_i + anchor weight (ideal − x_i) + σ ξ.
    for (int i = 0; i < kN; ++i) ideal[i] = model.ideal(i, a);
    sum = add(sum, mul(anchor_weight, sub(load(ideal), xa)));
    if (any_noise) {
      for (int i = 0; i < kN; ++i) xi[i] = ws.noise_x(i, a);
      sum = add(sum, select_zero(noisy, mul(s, load(xi))));
    } else {
      sum = add(sum, splat(0.0));
    }
    store(clip(sum), lanes);
    for (int i = 0; i < kN; ++i) ws.x_next(i, a) = lanes[i];
  }
}

// Balance's ω and τ for every pair (balance_row in step_affinities.cpp), with
// the products C = R diag(w) R and C_abs = |R| diag(w) |R| summed in order of
// k from 0 (the in-order path of balance_products.cpp), all rows side by side.
HWY_INLINE void balance(const Row* R, const double* HWY_RESTRICT Rm, const double* HWY_RESTRICT w,
                        const Row& wv, double w_total, double rate, Row* om_b, Row* ta_b) {
  Row C[kN], Cabs[kN];
  for (int i = 0; i < kN; ++i) C[i] = Cabs[i] = splat(0.0);
  // |R| in memory, so that each |r_ik| is broadcast straight from it.
  HWY_ALIGN double absRm[kN * kPad];
  for (int i = 0; i < kN; ++i) store(abs(R[i]), absRm + i * kPad);
  for (int k = 0; k < kN; ++k) {
    const Row& row = R[k];
    const Row wR = mul(splat(w[k]), row);
    const Row wabsR = mul(splat(w[k]), abs(row));
    for (int i = 0; i < kN; ++i) {
      C[i] = add(mul(splat(Rm[i * kN + k]), wR), C[i]);
      Cabs[i] = add(mul(splat(absRm[i * kPad + k]), wabsR), Cabs[i]);
    }
  }
  const Row zero = splat(0.0);
  for (int i = 0; i < kN; ++i) {
    const Row& Ri = R[i];
    const double wi = w[i];
    const Row third = sub(splat(w_total - wi), wv);
    const Row pair = add(splat(wi), wv);
    const Row b = div(sub(C[i], mul(pair, Ri)), third);
    const Row b_abs = div(sub(Cabs[i], mul(pair, abs(Ri))), third);
    const RowMask on = both(greater(third, zero), greater(b_abs, zero));
    om_b[i] = select_zero(on, mul(splat(rate), b_abs));
    ta_b[i] = select_zero(on, div(b, b_abs));
  }
}

// The stakes slot of issue q for row i (sq: the row of the stakes
// table, padded): ω = stakes |s_i s_j|, τ = sign(s_i s_j).
HWY_INLINE void stakes(const double* HWY_RESTRICT sq, int i, double rate, Row& om_q, Row& ta_q) {
  const Row joint = mul(splat(sq[i]), load7(sq));
  om_q = mul(splat(rate), abs(joint));
  ta_q = sign(joint);
}

// §2.2 and the affinity noise and clip (step_affinities.cpp), row by row,
// lanes j.
HWY_INLINE void affinities(const Model& model, const State& state, Workspace& ws) {
  const Rates& r = state.rates;
  const int K = model.k, Q = model.q;
  const double* const w = state.w.data();
  const double* const Rm = state.R.data();
  Row R[kN];
  for (int i = 0; i < kN; ++i) R[i] = load7(Rm + i * kN);
  const Row wv = load7(w);
  double w_total = 0.0;
  for (int k = 0; k < kN; ++k) w_total += w[k];
  const bool balance_on = r.balance > 0;
  Row om_b_rows[kN], ta_b_rows[kN];
  if (balance_on) balance(R, Rm, w, wv, w_total, r.balance, om_b_rows, ta_b_rows);
  const bool institutions_on = r.institutions > 0 && model.g > 0;
  if (institutions_on) update_shared_membership(model, state, ws);
  const bool stakes_on = r.stakes > 0;
  if (stakes_on) update_stakes(model, state, ws);
  const Row zero = splat(0.0), one = splat(1.0);
  // d / K: a multiplication by 1 / K where that is exact (K a power of two).
  const bool k_power_of_two = K >= 1 && (K & (K - 1)) == 0;
  const Row k_inverse = splat(1.0 / (K >= 1 ? K : 1)), k_double = splat(K);
  const Row om_s_rate = splat(K >= 1 ? r.similarity : 0.0);
  const Row ta_i = splat(institutions_on ? 1.0 : 0.0);
  const double sr = r.noise_affinity;

  for (int i = 0; i < kN; ++i) {
    const Row& Ri = R[i];
    Row om_b = zero, ta_b = zero;
    if (balance_on) {
      om_b = om_b_rows[i];
      ta_b = ta_b_rows[i];
    }
    Row ta_s = zero;
    if (K >= 1) {
      for (int a = 0; a < K; ++a) {
        const Row xa = load7(ws.x_t.data() + a * kN);
        ta_s = add(ta_s, abs(sub(splat(state.x(i, a)), xa)));
      }
      const Row scaled = k_power_of_two ? mul(ta_s, k_inverse) : div(ta_s, k_double);
      ta_s = sub(one, scaled);
    }
    Row om_s = om_s_rate;
    Row om_i = zero;
    if (institutions_on)
      om_i = mul(splat(r.institutions), load7(ws.shared_membership.data() + i * kN));
    Row om_t = mul(splat(r.interdependence), load7(state.T.data() + i * kN));
    Row om_m = splat(r.memory);

    // Σ ω in slot order; above 1 (j ≠ i), every ω is divided by it.
    Row total = add(add(add(add(zero, om_b), om_s), om_i), om_t);
    // The first kHeld issues' ω and τ are kept for the update below.
    constexpr int kHeld = 4;
    Row om_q = zero, ta_q = zero, om_held[kHeld], ta_held[kHeld];
    for (int q = 0; q < Q; ++q) {
      if (stakes_on) stakes(ws.stake.data() + q * kN, i, r.stakes, om_q, ta_q);
      if (q < kHeld) {
        om_held[q] = om_q;
        ta_held[q] = ta_q;
      }
      total = add(total, om_q);
    }
    total = add(total, om_m);
    const RowMask above = greater(total, one);
    const bool normalise = any(both(above, lanes_but(i)));
    if (normalise) {
      om_b = select(above, div(om_b, total), om_b);
      om_s = select(above, div(om_s, total), om_s);
      om_i = select(above, div(om_i, total), om_i);
      om_t = select(above, div(om_t, total), om_t);
      om_m = select(above, div(om_m, total), om_m);
    }
    // R[i][j] + Σ_m ω_m (τ_m − R[i][j]), slot by slot in order.
    Row value = Ri;
    value = add(value, mul(om_b, sub(ta_b, Ri)));
    value = add(value, mul(om_s, sub(ta_s, Ri)));
    value = add(value, mul(om_i, sub(ta_i, Ri)));
    value = add(value, mul(om_t, sub(one, Ri)));
    for (int q = 0; q < Q; ++q) {
      if (q < kHeld) {
        om_q = om_held[q];
        ta_q = ta_held[q];
      } else if (stakes_on) {
        stakes(ws.stake.data() + q * kN, i, r.stakes, om_q, ta_q);
      }
      if (normalise) om_q = select(above, div(om_q, total), om_q);
      value = add(value, mul(om_q, sub(ta_q, Ri)));
    }
    const Row R0i = load7(state.anchor.data() + i * kN);  // memory's target (R0 or Rstar)
    value = add(value, mul(om_m, sub(R0i, Ri)));

    // The noise: σR ξ where drawn (ξ = 0 on the diagonal, which is 1 anyway).
    const Row noise = sr > 0 ? mul(splat(sr), load7(ws.noise_R.data() + i * kN)) : zero;
    store7(select(lane(i), one, clip(add(value, noise))), ws.R_next.data() + i * kN);
  }
}

void Step7(const Model& model, State& state, Workspace& ws) {
  positions(model, state, ws);
  affinities(model, state, ws);
}

}  // namespace HWY_NAMESPACE
}  // namespace entente::detail
HWY_AFTER_NAMESPACE();
#endif

#if HWY_ONCE
namespace entente::detail {

namespace {

// The Highway targets this build compiled that the step uses.
constexpr std::int64_t kAvx2 = HWY_AVX2, kAvx512 = HWY_AVX3, kNeon = HWY_NEON;

std::int64_t hwy_target(StepIsa isa) {
  switch (isa) {
    case StepIsa::avx2:
      return kAvx2;
    case StepIsa::avx512:
      return kAvx512;
    case StepIsa::neon:
      return kNeon;
    case StepIsa::baseline:
      break;
  }
  return 0;
}

using StepFn = void (*)(const Model&, State&, Workspace&);

StepFn step_kernel(StepIsa isa) {
  ENTENTE_WIDE_KERNEL(isa, Step7)
}

}  // namespace

bool isa_available(StepIsa isa) {
  if (isa == StepIsa::baseline) return true;
  // The wide step reproduces the portable N = 7 products only where those
  // are the in-order loop (the default build without FMA).
  if (product_path(7) != ProductPath::sequential) return false;
  static const std::int64_t supported = hwy::SupportedTargets();
  return step_kernel(isa) != nullptr && (supported & hwy_target(isa)) != 0;
}

bool step7_wide(const Model& model, State& state, Workspace& ws) {
  if (model.n != 7) return false;
  const StepIsa isa = step_isa();
  if (isa == StepIsa::baseline) return false;
  step_kernel(isa)(model, state, ws);
  return true;
}

}  // namespace entente::detail
#endif  // HWY_ONCE
