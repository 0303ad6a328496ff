// The fast step. Same formulas as reference_step.cpp (MODEL.md §2), arranged
// so that the only O(N³) work is two matrix products for the balance means,
// and nothing is allocated once the workspace exists.
#include "entente/step.hpp"

#include <algorithm>
#include <cmath>

namespace entente {

namespace {
inline double sign(double v) {
  return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
}
inline double clip(double v) {
  return std::clamp(v, -1.0, 1.0);
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
  w.source_weight.resize(N);
  w.v.resize(N);
  w.omega.resize(kFirstStakesSlot + Q + 1);
  w.tau.resize(kFirstStakesSlot + Q + 1);
  return w;
}

void step(const Model& model, State& state, Workspace& ws, Rng& rng, StepDrivers* drivers) {
  const int N = model.n, K = model.k, Q = model.q;
  const Rates& r = state.rates;
  const RowMatrix& x = state.x;
  const RowMatrix& R = state.R;

  // §2.1 positions: signed Friedkin–Johnsen influence plus anchoring.
  for (int i = 0; i < N; ++i) {
    double denom = 0.0;
    for (int j = 0; j < N; ++j) {
      ws.source_weight(j) = j == i ? 0.0 : state.W(i, j) * state.w(j);
      denom += ws.source_weight(j);
    }
    double total = 0.0;
    for (int j = 0; j < N; ++j) {
      const double a_hat = denom > 0 ? ws.source_weight(j) / denom : 0.0;
      ws.v(j) = j == i ? 0.0 : r.influence * a_hat * std::abs(R(i, j));
      total += ws.v(j);
    }
    double v_anchor = model.stubbornness(i);
    total += v_anchor;
    if (total > 1.0) {  // §2.1: never overshoot
      for (int j = 0; j < N; ++j) ws.v(j) /= total;
      v_anchor /= total;
    }
    for (int a = 0; a < K; ++a) {
      const double xi = x(i, a);
      double value = xi;
      for (int j = 0; j < N; ++j) {
        if (j == i) continue;
        const double term = ws.v(j) * (sign(R(i, j)) * x(j, a) - xi);
        value += term;
        if (drivers) drivers->position(i * K + a, j) = term;
      }
      const double anchor = v_anchor * (model.ideal(i, a) - xi);
      if (drivers) drivers->position(i * K + a, drivers->position_anchor_slot()) = anchor;
      ws.x_next(i, a) = value + anchor;
    }
  }
  // §2.3 position noise, actors then axes in file order, only where σx > 0.
  for (int i = 0; i < N; ++i) {
    const double own = model.actor_noise(i);
    const double s = std::isnan(own) ? r.noise_position : own;
    for (int a = 0; a < K; ++a) {
      const double noise = s > 0 ? s * rng.normal() : 0.0;
      const double before_clip = ws.x_next(i, a) + noise;
      ws.x_next(i, a) = clip(before_clip);
      if (drivers) {
        drivers->position(i * K + a, drivers->position_noise_slot()) = noise;
        drivers->position(i * K + a, drivers->position_clip_slot()) = ws.x_next(i, a) - before_clip;
      }
    }
  }

  // §2.2 affinities. Balance: Σ_{k∉{i,j}} w_k R[i][k] R[k][j] is the (i,j)
  // entry of R diag(w) R less the k = i and k = j terms (R[i][i] = R[j][j] = 1).
  const bool balance_on = N >= 3 && r.balance > 0;
  double w_total = 0.0;
  for (int k = 0; k < N; ++k) w_total += state.w(k);
  if (balance_on) {
    ws.absR = R.cwiseAbs();
    ws.wR.noalias() = state.w.asDiagonal() * R;
    ws.wabsR.noalias() = state.w.asDiagonal() * ws.absR;
    ws.triad.noalias() = R * ws.wR;
    ws.triad_abs.noalias() = ws.absR * ws.wabsR;
  }
  const bool institutions_on = r.institutions > 0 && model.g > 0;
  if (institutions_on) {
    ws.weighted_membership.noalias() = model.cohesion.asDiagonal() * state.m;
    ws.shared_membership.noalias() = state.m.transpose() * ws.weighted_membership;
  }
  const bool stakes_on = r.stakes > 0;
  for (int q = 0; q < Q; ++q) {
    const int o = state.regime[static_cast<std::size_t>(q)];
    for (int i = 0; i < N; ++i) {
      ws.stake(q, i) = model.salience(q, i) * model.utility[static_cast<std::size_t>(q)](i, o);
    }
  }
  const int memory_slot = kFirstStakesSlot + Q;
  const int slots = memory_slot + 1;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      const double rij = R(i, j);
      ws.omega.setZero();
      ws.tau.setZero();
      if (balance_on) {
        const double third = w_total - state.w(i) - state.w(j);
        if (third > 0) {
          const double b = (ws.triad(i, j) - (state.w(i) + state.w(j)) * rij) / third;
          const double b_abs =
              (ws.triad_abs(i, j) - (state.w(i) + state.w(j)) * std::abs(rij)) / third;
          if (b_abs > 0) {
            ws.omega(kBalanceSlot) = r.balance * b_abs;
            ws.tau(kBalanceSlot) = b / b_abs;
          }
        }
      }
      if (K >= 1) {
        double d = 0.0;
        for (int a = 0; a < K; ++a) d += std::abs(x(i, a) - x(j, a));
        ws.omega(kSimilaritySlot) = r.similarity;
        ws.tau(kSimilaritySlot) = 1.0 - d / K;
      }
      if (institutions_on) {
        ws.omega(kInstitutionsSlot) = r.institutions * ws.shared_membership(i, j);
        ws.tau(kInstitutionsSlot) = 1.0;
      }
      ws.omega(kInterdependenceSlot) = r.interdependence * state.T(i, j);
      ws.tau(kInterdependenceSlot) = 1.0;
      if (stakes_on) {
        for (int q = 0; q < Q; ++q) {
          const double joint = ws.stake(q, i) * ws.stake(q, j);
          ws.omega(kFirstStakesSlot + q) = r.stakes * std::abs(joint);
          ws.tau(kFirstStakesSlot + q) = sign(joint);
        }
      }
      ws.omega(memory_slot) = r.memory;
      ws.tau(memory_slot) = model.affinity0(i, j);

      double total = 0.0;
      for (int m = 0; m < slots; ++m) total += ws.omega(m);
      if (total > 1.0) {
        for (int m = 0; m < slots; ++m) ws.omega(m) /= total;
      }
      double value = rij;
      for (int m = 0; m < slots; ++m) {
        const double term = ws.omega(m) * (ws.tau(m) - rij);
        value += term;
        if (drivers) drivers->affinity(i * N + j, m) = term;
      }
      ws.R_next(i, j) = value;
    }
  }
  // §2.3 affinity noise: i, then j ≠ i, only where σR > 0.
  const double sr = r.noise_affinity;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      const double noise = sr > 0 ? sr * rng.normal() : 0.0;
      const double before_clip = ws.R_next(i, j) + noise;
      ws.R_next(i, j) = clip(before_clip);
      if (drivers) {
        drivers->affinity(i * N + j, drivers->affinity_noise_slot()) = noise;
        drivers->affinity(i * N + j, drivers->affinity_clip_slot()) = ws.R_next(i, j) - before_clip;
      }
    }
    ws.R_next(i, i) = 1.0;
  }
  state.x.swap(ws.x_next);
  state.R.swap(ws.R_next);
  state.step += 1;
}

}  // namespace entente
