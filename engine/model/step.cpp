// The fast step. Same formulas as reference_step.cpp (MODEL.md §2), arranged
// so that the only O(N³) work is two matrix products for the balance means,
// and nothing is allocated once the workspace exists.
//
// Bits: every output value is computed by the same sequence of floating-point
// operations as the first version of this file (the seeded outputs are
// pinned by tests/run/test_seeded_outputs.cpp). The speed comes from removing
// overhead around that arithmetic and from computing independent values side
// by side (packed SSE2 operations round exactly as scalar ones), never from
// reordering a sum: every sum over j (denominators, position updates) still
// adds its terms one by one in order of j. Noise is drawn in the same order
// as before (positions: actor, then axis; affinities: i, then j ≠ i).
//
// At N = 7 without drivers, on a CPU with AVX-512F, engine/model/step_wide.cpp
// runs instead: the same operations eight pairs at a time, the same bits.
#include "entente/model/step.hpp"

#include <algorithm>
#include <cmath>

#include "model/balance_products.hpp"
#include "model/step_parts.hpp"

namespace entente {

namespace {

using Eigen::Index;

inline double clip(double v) {
  return std::clamp(v, -1.0, 1.0);
}

using detail::kAnchorWeight;
using detail::kDenominator;
using detail::kInfluenceTotal;
using detail::kPositionSum;

// §2.1 positions, then §2.3 position noise and the clip. The sums over the
// sources j run in order of j for every actor i, as before, but for all
// actors at once (j outer, i inner): the sums of different
// actors are independent, so they proceed side by side instead of waiting
// on each other's additions. Matrices are read transposed ([j][i]) so that
// the inner loops run along memory.
template <bool kDrivers, int kFixedN>
void step_positions(const Model& model, const State& state, Workspace& ws, Rng& rng,
                    StepDrivers* drivers) {
  const int N = kFixedN > 0 ? kFixedN : model.n, K = model.k;
  const Rates& r = state.rates;
  const double* const w = state.w.data();
  double* const denom = ws.row_terms.row(kDenominator).data();
  double* const total = ws.row_terms.row(kInfluenceTotal).data();
  double* const anchor_weight = ws.row_terms.row(kAnchorWeight).data();
  double* const sum = ws.row_terms.row(kPositionSum).data();
  const auto P = [&](int j) { return ws.influence_t.data() + Index{j} * N; };
  const auto Rt = [&](int j) { return ws.R_t.data() + Index{j} * N; };

  // Â's numerators W[i][j] w_j (0 for j = i) and their sums.
  std::fill(denom, denom + N, 0.0);
  for (int j = 0; j < N; ++j) {
    double* const p = P(j);
    const double wj = w[j];
    for (int i = 0; i < N; ++i) {
      const double numerator = i == j ? 0.0 : state.W(i, j) * wj;
      p[i] = numerator;
      denom[i] += numerator;
    }
  }
  // v[i][j] = α Â[i][j] |R[i][j]| and their sums with λ_i.
  const double influence = r.influence;
  std::fill(total, total + N, 0.0);
  for (int j = 0; j < N; ++j) {
    double* const p = P(j);
    const double* const rt = Rt(j);
    for (int i = 0; i < N; ++i) {
      const double a_hat = p[i] / denom[i];
      const double v = influence * (denom[i] > 0 ? a_hat : 0.0) * std::abs(rt[i]);
      p[i] = i == j ? 0.0 : v;
      total[i] += p[i];
    }
  }
  bool overshoot = false;
  for (int i = 0; i < N; ++i) {
    anchor_weight[i] = model.stubbornness(i);
    total[i] += anchor_weight[i];
    overshoot = overshoot || total[i] > 1.0;
  }
  if (overshoot) {  // §2.1: never overshoot
    for (int j = 0; j < N; ++j) {
      double* const p = P(j);
      for (int i = 0; i < N; ++i) {
        const double scaled = p[i] / total[i];
        p[i] = total[i] > 1.0 ? scaled : p[i];
      }
    }
    for (int i = 0; i < N; ++i) {
      if (total[i] > 1.0) anchor_weight[i] /= total[i];
    }
  }
  // x[i][a] + Σ_{j≠i} v[i][j] (sign(R[i][j]) x[j][a] − x[i][a]), axis by axis.
  for (int a = 0; a < K; ++a) {
    const double* const xa = ws.x_t.data() + Index{a} * N;
    std::copy(xa, xa + N, sum);
    for (int j = 0; j < N; ++j) {
      const double* const p = P(j);
      const double* const rt = Rt(j);
      const double xja = xa[j];
      for (int i = 0; i < N; ++i) {
        const double sg = rt[i] > 0 ? 1.0 : (rt[i] < 0 ? -1.0 : 0.0);
        const double term = p[i] * (sg * xja - xa[i]);
        const double added = sum[i] + term;
        sum[i] = i == j ? sum[i] : added;
        if constexpr (kDrivers) {
          if (i != j) drivers->position(i * K + a, j) = term;
        }
      }
    }
    for (int i = 0; i < N; ++i) ws.x_next(i, a) = sum[i];
  }
  // Anchoring, noise (actor, then axis) and the clip.
  for (int i = 0; i < N; ++i) {
    const double own = model.actor_noise(i);
    const double s = std::isnan(own) ? r.noise_position : own;
    for (int a = 0; a < K; ++a) {
      const double xi = state.x(i, a);
      const double anchor = anchor_weight[i] * (model.ideal(i, a) - xi);
      const double noise = s > 0 ? s * rng.normal() : 0.0;
      const double before_clip = (ws.x_next(i, a) + anchor) + noise;
      const double after = clip(before_clip);
      ws.x_next(i, a) = after;
      if constexpr (kDrivers) {
        const int row = i * K + a;
        drivers->position(row, drivers->position_anchor_slot()) = anchor;
        drivers->position(row, drivers->position_noise_slot()) = noise;
        drivers->position(row, drivers->position_clip_slot()) = after - before_clip;
      }
    }
  }
}

}  // namespace

StepDrivers make_step_drivers(const Model& model) {
  StepDrivers d;
  d.affinity = RowMatrix::Zero(model.n * model.n, kFirstStakesSlot + model.q + 3);
  d.position = RowMatrix::Zero(model.n * model.k, model.n + 3);
  return d;
}

Workspace make_workspace(const Model& model) {
  const int N = model.n, K = model.k, G = model.g, Q = model.q;
  Workspace w;
  w.x_next.resize(N, K);
  w.R_next.resize(N, N);
  w.triad.resize(N, N);
  w.triad_abs.resize(N, N);
  w.absR.resize(N, N);
  w.wR.resize(N, N);
  w.wabsR.resize(N, N);
  w.shared_membership = RowMatrix::Zero(N, N);
  w.weighted_membership.resize(G, N);
  w.stake.resize(Q, N);
  w.x_t.resize(K, N);
  w.R_t.resize(N, N);
  w.influence_t.resize(N, N);
  w.row_terms = RowMatrix::Zero(detail::kFirstStakesRow + 2 * Q, N);
  w.membership_seen.resize(G, N);
  w.cohesion_seen.resize(G);
  detail::size_product_panels(N, w);
  return w;
}

void step(const Model& model, State& state, Workspace& ws, Rng& rng, StepDrivers* drivers) {
  ws.x_t.noalias() = state.x.transpose();
  // N = 7 on AVX-512 where the CPU has it (engine/model/step_wide.cpp, same bits).
  if (drivers || !detail::step7_wide(model, state, ws, rng)) {
    ws.R_t.noalias() = state.R.transpose();
    if (!drivers && model.n == 7) {  // the baseline's size: loops over j unroll
      step_positions<false, 7>(model, state, ws, rng, nullptr);
      detail::step_affinities<false>(model, state, ws, rng, nullptr);
    } else if (drivers) {
      step_positions<true, 0>(model, state, ws, rng, drivers);
      detail::step_affinities<true>(model, state, ws, rng, drivers);
    } else {
      step_positions<false, 0>(model, state, ws, rng, nullptr);
      detail::step_affinities<false>(model, state, ws, rng, nullptr);
    }
  }
  state.x.swap(ws.x_next);
  state.R.swap(ws.R_next);
  state.step += 1;
}

}  // namespace entente
