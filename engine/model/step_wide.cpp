// The fast step at N = 7 on AVX-512: the baseline's size, one row of seven
// pairs in one 8-lane vector. Every value is the same sequence of IEEE
// operations as engine/model/step.cpp and engine/model/step_affinities.cpp compute it
// (additions, multiplications, divisions and comparisons round or compare
// exactly alike at any vector width; nothing is fused — this file is
// compiled with -ffp-contract=off — and no sum is reordered: positions put
// actors i in the lanes and add the sources j in order; affinities put the
// partners j in the lanes and sum the products over k in order). The only operation
// written differently is the similarity's d / K, a multiplication by 1 / K
// when K is a power of two (the same correctly rounded result). Noise is
// drawn in the generator's order (positions: actor, then axis; affinities:
// i, then j ≠ i). The portable code stays the fallback: `step` takes this
// path only when the CPU has AVX-512F (and ENTENTE_ISA is not "baseline").
//
// Only the functions of this file are compiled for AVX-512 (a target
// attribute, not a file-wide -mavx512f): inline functions of the standard
// library, Eigen and Boost that it calls keep the baseline instruction set
// wherever they are emitted, so nothing compiled for AVX-512 can leak into
// the portable path.
#include <algorithm>
#include <cmath>

#include "model/step_parts.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ENTENTE_STEP_WIDE 1
#include <immintrin.h>
#endif

namespace entente::detail {

#ifdef ENTENTE_STEP_WIDE
namespace {

#define ENTENTE_AVX512 __attribute__((target("avx512f")))
#define ENTENTE_AVX512_INLINE __attribute__((target("avx512f"), always_inline)) inline

constexpr int kN = 7;
constexpr __mmask8 kRow = 0x7f;  // lanes 0…6; lane 7 is padding

using V = __m512d;

ENTENTE_AVX512_INLINE V load_row(const double* p) {
  return _mm512_maskz_loadu_pd(kRow, p);
}
ENTENTE_AVX512_INLINE V splat(double v) {
  return _mm512_set1_pd(v);
}
ENTENTE_AVX512_INLINE __mmask8 greater(V a, V b) {  // a > b (false for NaN)
  return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ);
}
ENTENTE_AVX512_INLINE __mmask8 but(int j) {  // every lane of the row except j
  return static_cast<__mmask8>(kRow & ~(1u << j));
}
// x > 0 ? 1 : (x < 0 ? −1 : 0), as the scalar code writes it.
ENTENTE_AVX512_INLINE V sign(V x) {
  const V zero = _mm512_setzero_pd();
  const V up = _mm512_maskz_mov_pd(greater(x, zero), splat(1.0));
  return _mm512_mask_mov_pd(up, greater(zero, x), splat(-1.0));
}
// std::clamp(v, −1, 1): v < −1 ? −1 : (1 < v ? 1 : v).
ENTENTE_AVX512_INLINE V clip(V v) {
  const V high = _mm512_mask_mov_pd(v, greater(v, splat(1.0)), splat(1.0));
  return _mm512_mask_mov_pd(high, greater(splat(-1.0), v), splat(-1.0));
}

// The stakes slot of issue q for row i (sq: the row of the stakes
// table): ω = stakes |s_i s_j|, τ = sign(s_i s_j).
ENTENTE_AVX512_INLINE void stakes(const double* sq, int i, double rate, V& om_q, V& ta_q) {
  const V joint = _mm512_mul_pd(splat(sq[i]), load_row(sq));
  om_q = _mm512_mul_pd(splat(rate), _mm512_abs_pd(joint));
  ta_q = sign(joint);
}

// rows[c] becomes column c of the 8×8 matrix whose rows were rows[0…7].
ENTENTE_AVX512_INLINE void transpose(V rows[8]) {
  // (The maskz forms with every lane on: GCC 12's plain unpacks trip
  // -Wuninitialized inside its own header.)
  V a[8], b[8];
  for (int k = 0; k < 4; ++k) {
    a[2 * k] = _mm512_maskz_unpacklo_pd(0xff, rows[2 * k], rows[2 * k + 1]);
    a[2 * k + 1] = _mm512_maskz_unpackhi_pd(0xff, rows[2 * k], rows[2 * k + 1]);
  }
  const __m512i pairs_even = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
  const __m512i pairs_odd = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
  for (int h = 0; h < 2; ++h) {  // rows 0…3, then 4…7
    const V* s = a + 4 * h;
    b[4 * h + 0] = _mm512_permutex2var_pd(s[0], pairs_even, s[2]);  // columns 0, 4
    b[4 * h + 1] = _mm512_permutex2var_pd(s[1], pairs_even, s[3]);  // 1, 5
    b[4 * h + 2] = _mm512_permutex2var_pd(s[0], pairs_odd, s[2]);   // 2, 6
    b[4 * h + 3] = _mm512_permutex2var_pd(s[1], pairs_odd, s[3]);   // 3, 7
  }
  const __m512i low = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
  const __m512i high = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
  for (int c = 0; c < 4; ++c) {
    rows[c] = _mm512_permutex2var_pd(b[c], low, b[4 + c]);
    rows[c + 4] = _mm512_permutex2var_pd(b[c], high, b[4 + c]);
  }
}

// §2.1 positions, then the position noise and the clip (step_positions).
// Lanes are actors i; P[j] holds W[i][j] w_j, then v[i][j], for all i.
ENTENTE_AVX512 void positions(const Model& model, const State& state, Workspace& ws, Rng& rng) {
  const Rates& r = state.rates;
  const int K = model.k;
  const double* const w = state.w.data();
  V Wt[8], Rt[8];
  for (int i = 0; i < kN; ++i) {
    Wt[i] = load_row(state.W.data() + i * kN);
    Rt[i] = load_row(state.R.data() + i * kN);
  }
  Wt[7] = Rt[7] = _mm512_setzero_pd();
  transpose(Wt);
  transpose(Rt);

  V P[kN];
  V denom = _mm512_setzero_pd();
  for (int j = 0; j < kN; ++j) {
    P[j] = _mm512_maskz_mul_pd(but(j), Wt[j], splat(w[j]));
    denom = _mm512_add_pd(denom, P[j]);
  }
  const __mmask8 weighted = greater(denom, _mm512_setzero_pd());
  const V influence = splat(r.influence);
  V total = _mm512_setzero_pd();
  for (int j = 0; j < kN; ++j) {
    const V a_hat = _mm512_maskz_mov_pd(weighted, _mm512_div_pd(P[j], denom));
    const V v = _mm512_mul_pd(_mm512_mul_pd(influence, a_hat), _mm512_abs_pd(Rt[j]));
    P[j] = _mm512_maskz_mov_pd(but(j), v);
    total = _mm512_add_pd(total, P[j]);
  }
  V anchor_weight = load_row(model.stubbornness.data());
  total = _mm512_add_pd(total, anchor_weight);
  const __mmask8 over = greater(total, splat(1.0)) & kRow;
  if (over) {  // §2.1: never overshoot
    for (V& p : P) p = _mm512_mask_div_pd(p, over, p, total);
    anchor_weight = _mm512_mask_div_pd(anchor_weight, over, anchor_weight, total);
  }
  alignas(64) double lanes[8];
  for (int a = 0; a < K; ++a) {
    const V xa = load_row(ws.x_t.data() + a * kN);
    V sum = xa;
    for (int j = 0; j < kN; ++j) {
      const V xja = splat(state.x(j, a));
      const V term = _mm512_mul_pd(P[j], _mm512_sub_pd(_mm512_mul_pd(sign(Rt[j]), xja), xa));
      sum = _mm512_mask_add_pd(sum, but(j), sum, term);
    }
    _mm512_store_pd(lanes, sum);
    for (int i = 0; i < kN; ++i) ws.x_next(i, a) = lanes[i];
  }
  _mm512_store_pd(lanes, anchor_weight);
  for (int i = 0; i < kN; ++i) {
    const double own = model.actor_noise(i);
    const double s = std::isnan(own) ? r.noise_position : own;
    for (int a = 0; a < K; ++a) {
      const double anchor = lanes[i] * (model.ideal(i, a) - state.x(i, a));
      const double noise = s > 0 ? s * rng.normal() : 0.0;
      ws.x_next(i, a) = std::clamp((ws.x_next(i, a) + anchor) + noise, -1.0, 1.0);
    }
  }
}

// Balance's ω and τ for every pair (balance_row in step_affinities.cpp), with
// the products C = R diag(w) R and C_abs = |R| diag(w) |R| summed in order of
// k from 0 (the in-order path of balance_products.cpp), all rows side by
// side.
ENTENTE_AVX512 void balance(const double* R, const double* w, double w_total, double rate,
                            double om_b[kN][8], double ta_b[kN][8]) {
  V C[kN], Cabs[kN];
  for (int i = 0; i < kN; ++i) C[i] = Cabs[i] = _mm512_setzero_pd();
  for (int k = 0; k < kN; ++k) {
    const V row = load_row(R + k * kN);
    const V wR = _mm512_mul_pd(splat(w[k]), row);
    const V wabsR = _mm512_mul_pd(splat(w[k]), _mm512_abs_pd(row));
    for (int i = 0; i < kN; ++i) {
      const V rik = splat(R[i * kN + k]);
      C[i] = _mm512_add_pd(_mm512_mul_pd(rik, wR), C[i]);
      Cabs[i] = _mm512_add_pd(_mm512_mul_pd(_mm512_abs_pd(rik), wabsR), Cabs[i]);
    }
  }
  const V wv = load_row(w), zero = _mm512_setzero_pd();
  for (int i = 0; i < kN; ++i) {
    const V Ri = load_row(R + i * kN);
    const double wi = w[i];
    const V third = _mm512_sub_pd(splat(w_total - wi), wv);
    const V pair = _mm512_add_pd(splat(wi), wv);
    const V b = _mm512_div_pd(_mm512_sub_pd(C[i], _mm512_mul_pd(pair, Ri)), third);
    const V b_abs =
        _mm512_div_pd(_mm512_sub_pd(Cabs[i], _mm512_mul_pd(pair, _mm512_abs_pd(Ri))), third);
    const __mmask8 on = greater(third, zero) & greater(b_abs, zero);
    _mm512_store_pd(om_b[i], _mm512_maskz_mul_pd(on, splat(rate), b_abs));
    _mm512_store_pd(ta_b[i], _mm512_maskz_div_pd(on, b, b_abs));
  }
}

// §2.2 and the affinity noise and clip (step_affinities.cpp), row by row,
// lanes j. The balance products R diag(w) R and |R| diag(w) |R| are summed
// here, in order of k from 0 as the in-order path of balance_products.cpp.
ENTENTE_AVX512 void affinities(const Model& model, const State& state, Workspace& ws, Rng& rng) {
  const Rates& r = state.rates;
  const int K = model.k, Q = model.q;
  const double* const w = state.w.data();
  const double* const R = state.R.data();
  double w_total = 0.0;
  for (int k = 0; k < kN; ++k) w_total += w[k];
  const bool balance_on = r.balance > 0;
  alignas(64) double om_b_rows[kN][8], ta_b_rows[kN][8];
  if (balance_on) balance(R, w, w_total, r.balance, om_b_rows, ta_b_rows);
  const bool institutions_on = r.institutions > 0 && model.g > 0;
  if (institutions_on) update_shared_membership(model, state, ws);
  const bool stakes_on = r.stakes > 0;
  if (stakes_on) update_stakes(model, state, ws);
  const V zero = _mm512_setzero_pd(), one = splat(1.0);
  // d / K: a multiplication by 1 / K where that is exact (K a power of two).
  const bool k_power_of_two = K >= 1 && (K & (K - 1)) == 0;
  const V k_inverse = splat(1.0 / (K >= 1 ? K : 1)), k_double = splat(K);
  const V om_s_rate = splat(K >= 1 ? r.similarity : 0.0);
  const V ta_i = splat(institutions_on ? 1.0 : 0.0);
  // The affinity noise first, in the generator's order (i, then j ≠ i): the
  // draws run back to back instead of between vector work.
  alignas(64) double noise_rows[kN][8] = {};
  const double sr = r.noise_affinity;
  if (sr > 0) {
    for (int i = 0; i < kN; ++i) {
      for (int j = 0; j < kN; ++j) {
        if (j != i) noise_rows[i][j] = sr * rng.normal();
      }
    }
  }

  for (int i = 0; i < kN; ++i) {
    const V Ri = load_row(R + i * kN);
    V om_b = zero, ta_b = zero;
    if (balance_on) {
      om_b = _mm512_load_pd(om_b_rows[i]);
      ta_b = _mm512_load_pd(ta_b_rows[i]);
    }
    V ta_s = zero;
    if (K >= 1) {
      for (int a = 0; a < K; ++a) {
        const V xa = load_row(ws.x_t.data() + a * kN);
        ta_s = _mm512_add_pd(ta_s, _mm512_abs_pd(_mm512_sub_pd(splat(state.x(i, a)), xa)));
      }
      const V scaled =
          k_power_of_two ? _mm512_mul_pd(ta_s, k_inverse) : _mm512_div_pd(ta_s, k_double);
      ta_s = _mm512_sub_pd(one, scaled);
    }
    V om_s = om_s_rate;
    V om_i = zero;
    if (institutions_on)
      om_i = _mm512_mul_pd(splat(r.institutions), load_row(ws.shared_membership.data() + i * kN));
    V om_t = _mm512_mul_pd(splat(r.interdependence), load_row(state.T.data() + i * kN));
    V om_m = splat(r.memory);

    // Σ ω in slot order; above 1 (j ≠ i), every ω is divided by it.
    V total =
        _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(_mm512_add_pd(zero, om_b), om_s), om_i), om_t);
    V om_q = zero, ta_q = zero;
    for (int q = 0; q < Q; ++q) {
      if (stakes_on) stakes(ws.stake.data() + q * kN, i, r.stakes, om_q, ta_q);
      total = _mm512_add_pd(total, om_q);
    }
    total = _mm512_add_pd(total, om_m);
    const __mmask8 above = greater(total, one);
    const bool normalise = (above & but(i)) != 0;
    if (normalise) {
      om_b = _mm512_mask_div_pd(om_b, above, om_b, total);
      om_s = _mm512_mask_div_pd(om_s, above, om_s, total);
      om_i = _mm512_mask_div_pd(om_i, above, om_i, total);
      om_t = _mm512_mask_div_pd(om_t, above, om_t, total);
      om_m = _mm512_mask_div_pd(om_m, above, om_m, total);
    }
    // R[i][j] + Σ_m ω_m (τ_m − R[i][j]), slot by slot in order.
    V value = Ri;
    value = _mm512_add_pd(value, _mm512_mul_pd(om_b, _mm512_sub_pd(ta_b, Ri)));
    value = _mm512_add_pd(value, _mm512_mul_pd(om_s, _mm512_sub_pd(ta_s, Ri)));
    value = _mm512_add_pd(value, _mm512_mul_pd(om_i, _mm512_sub_pd(ta_i, Ri)));
    value = _mm512_add_pd(value, _mm512_mul_pd(om_t, _mm512_sub_pd(one, Ri)));
    for (int q = 0; q < Q; ++q) {
      if (stakes_on) stakes(ws.stake.data() + q * kN, i, r.stakes, om_q, ta_q);
      if (normalise) om_q = _mm512_mask_div_pd(om_q, above, om_q, total);
      value = _mm512_add_pd(value, _mm512_mul_pd(om_q, _mm512_sub_pd(ta_q, Ri)));
    }
    const V R0i = load_row(state.anchor.data() + i * kN);  // memory's target
    value = _mm512_add_pd(value, _mm512_mul_pd(om_m, _mm512_sub_pd(R0i, Ri)));

    const V noise = _mm512_load_pd(noise_rows[i]);  // 0 where none was drawn
    const V after =
        _mm512_mask_mov_pd(clip(_mm512_add_pd(value, noise)), static_cast<__mmask8>(1u << i), one);
    _mm512_mask_storeu_pd(ws.R_next.data() + i * kN, kRow, after);
  }
}

}  // namespace

bool step7_wide(const Model& model, State& state, Workspace& ws, Rng& rng) {
  if (model.n != kN || step_isa() != StepIsa::avx512) return false;
  positions(model, state, ws, rng);
  affinities(model, state, ws, rng);
  return true;
}

#else  // not x86-64: the portable step only

bool step7_wide(const Model&, State&, Workspace&, Rng&) {
  return false;
}
#endif

}  // namespace entente::detail
