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
// adds its terms one by one in order of j. The noise of the whole step is
// drawn first, in one batch (draw_step_noise: counter-based, so the order of
// the draws does not matter; include/entente/model/rng.hpp).
//
// At N = 7 without drivers, on a CPU with AVX2 or AVX-512, engine/model/step_wide.cpp
// runs instead: the same operations several pairs at a time, the same bits.
#include "entente/model/step.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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
void step_positions(const Model& model, const State& state, Workspace& ws, StepDrivers* drivers) {
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
      const double noise = s > 0 ? s * ws.noise_x(i, a) : 0.0;
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
  w.shared_membership_before = RowMatrix::Zero(N, N);
  w.membership_before.resize(G, N);
  w.cohesion_before.resize(G);
  detail::size_product_panels(N, w);

  const Scenario& names = *model.scenario;
  const auto hashes = [](const auto& items, const char* kind) {
    std::vector<std::uint32_t> h;
    for (const auto& item : items) {
      h.push_back(noise_id(item.id));
      for (std::size_t k = 0; k + 1 < h.size(); ++k) {
        if (h[k] == h.back())
          throw std::invalid_argument(std::string(kind) + " ids '" + items[k].id + "' and '" +
                                      item.id + "' have the same noise id");
      }
    }
    return h;
  };
  w.actor_noise_id = hashes(names.actors, "actor");
  w.axis_noise_id = hashes(names.axes, "axis");
  for (int i = 0; i < N; ++i) {
    for (int a = 0; a < K; ++a) {
      w.noise_counter_a.push_back(w.actor_noise_id[static_cast<std::size_t>(i)]);
      w.noise_counter_b.push_back(w.axis_noise_id[static_cast<std::size_t>(a)]);
      w.noise_counter_kind.push_back(kPositionNoise);
    }
  }
  w.position_draws = N * K;
  for (int i = 0; i < N; ++i) {
    for (int j = i + 1; j < N; ++j) {
      const std::uint32_t hi = w.actor_noise_id[static_cast<std::size_t>(i)];
      const std::uint32_t hj = w.actor_noise_id[static_cast<std::size_t>(j)];
      const bool i_first = hi < hj;
      w.noise_counter_a.push_back(i_first ? hi : hj);
      w.noise_counter_b.push_back(i_first ? hj : hi);
      w.noise_counter_kind.push_back(kAffinityNoise);
      w.pair_slot0.push_back(i_first ? i * N + j : j * N + i);
      w.pair_slot1.push_back(i_first ? j * N + i : i * N + j);
    }
  }
  w.pair_draws = N * (N - 1) / 2;
  // Whole blocks, so that the batch may read and write past the last draw.
  const auto padded =
      static_cast<std::size_t>((w.position_draws + w.pair_draws + 2 * detail::kNoiseBlock) /
                               detail::kNoiseBlock * detail::kNoiseBlock);
  w.noise_counter_a.resize(padded, 0);
  w.noise_counter_b.resize(padded, 0);
  w.noise_counter_kind.resize(padded, 0);
  w.noise_z0.assign(padded, 0.0);
  w.noise_z1.assign(padded, 0.0);
  w.noise_x = RowMatrix::Zero(N, K);
  w.noise_R = RowMatrix::Zero(N, N);
  return w;
}

namespace detail {

bool draws_position_noise(const Model& model, const State& state) {
  if (model.k == 0) return false;
  for (int i = 0; i < model.n; ++i) {
    const double own = model.actor_noise(i);
    if ((std::isnan(own) ? state.rates.noise_position : own) > 0) return true;
  }
  return false;
}

void draw_step_noise(const State& state, Workspace& ws, const Rng& rng, bool positions,
                     bool affinities) {
  if (!positions && !affinities) return;
  const auto t = static_cast<std::uint32_t>(state.step + 1);
  // One batch: the positions' counters, the pairs', or both (adjacent).
  const int first = positions ? 0 : ws.position_draws;
  const int end = ws.position_draws + (affinities ? ws.pair_draws : 0);
  draw_normals(rng, t, ws.noise_counter_kind.data() + first, ws.noise_counter_a.data() + first,
               ws.noise_counter_b.data() + first, end - first, ws.noise_z0.data() + first,
               ws.noise_z1.data() + first);
  if (positions) std::copy_n(ws.noise_z0.data(), ws.position_draws, ws.noise_x.data());
  if (affinities) {
    const double* const z0 = ws.noise_z0.data() + ws.position_draws;
    const double* const z1 = ws.noise_z1.data() + ws.position_draws;
    double* const out = ws.noise_R.data();
    for (int p = 0; p < ws.pair_draws; ++p) {
      out[ws.pair_slot0[static_cast<std::size_t>(p)]] = z0[p];
      out[ws.pair_slot1[static_cast<std::size_t>(p)]] = z1[p];
    }
  }
}

}  // namespace detail

void step(const Model& model, State& state, Workspace& ws, const Rng& rng, StepDrivers* drivers) {
  detail::draw_step_noise(state, ws, rng, detail::draws_position_noise(model, state),
                          state.rates.noise_affinity > 0);
  ws.x_t.noalias() = state.x.transpose();
  // N = 7 on AVX2 or AVX-512 where the CPU has it (engine/model/step_wide.cpp, same bits).
  if (drivers || !detail::step7_wide(model, state, ws)) {
    ws.R_t.noalias() = state.R.transpose();
    if (!drivers && model.n == 7) {  // the baseline's size: loops over j unroll
      step_positions<false, 7>(model, state, ws, nullptr);
      detail::step_affinities<false>(model, state, ws, nullptr);
    } else if (drivers) {
      step_positions<true, 0>(model, state, ws, drivers);
      detail::step_affinities<true>(model, state, ws, drivers);
    } else {
      step_positions<false, 0>(model, state, ws, nullptr);
      detail::step_affinities<false>(model, state, ws, nullptr);
    }
  }
  state.x.swap(ws.x_next);
  state.R.swap(ws.R_next);
  state.step += 1;
}

}  // namespace entente
