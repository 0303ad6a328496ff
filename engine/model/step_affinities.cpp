// The affinity half of the fast step: MODEL.md §2.2's mechanisms, then §2.3's
// affinity noise and the clip. Row by row, each slot's ω and τ are computed
// for all j at once (two pairs per packed SSE2 operation; a packed operation
// rounds exactly like the scalar one), then summed slot by slot in §2.2's
// order, so every value is the same sequence of operations as the scalar
// loop in reference order. Only the noise (drawn for the whole step
// beforehand: work.noise_R), the clip and the drivers are scalar.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "model/balance_products.hpp"
#include "model/step_parts.hpp"

namespace entente::detail {

namespace {

using Eigen::Index;

inline double clip(double v) {
  return std::clamp(v, -1.0, 1.0);
}

}  // namespace

void update_stakes(const Model& model, const State& state, Workspace& ws) {
  for (int q = 0; q < model.q; ++q) {
    const int o = state.regime[static_cast<std::size_t>(q)];
    for (int i = 0; i < model.n; ++i)
      ws.stake(q, i) = model.salience(q, i) * model.utility[static_cast<std::size_t>(q)](i, o);
  }
}

void update_shared_membership(const Model& model, const State& state, Workspace& ws) {
  const auto same = [](const auto& a, const auto& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) ==
               0;
  };
  if (ws.shared_membership_valid && same(ws.membership_seen, state.m) &&
      same(ws.cohesion_seen, model.cohesion))
    return;
  // The table before becomes the current one, and the current one the table
  // before (swaps of pointers: nothing allocated, nothing copied).
  ws.shared_membership.swap(ws.shared_membership_before);
  ws.membership_seen.swap(ws.membership_before);
  ws.cohesion_seen.swap(ws.cohesion_before);
  std::swap(ws.shared_membership_valid, ws.shared_membership_before_valid);
  if (ws.shared_membership_valid && same(ws.membership_seen, state.m) &&
      same(ws.cohesion_seen, model.cohesion))
    return;
  ws.weighted_membership.noalias() = model.cohesion.asDiagonal() * state.m;
  ws.shared_membership.noalias() = state.m.transpose() * ws.weighted_membership;
  ws.membership_seen = state.m;
  ws.cohesion_seen = model.cohesion;
  ws.shared_membership_valid = true;
}

namespace {

// Balance needs R diag(w) R and |R| diag(w) |R| (MODEL.md §2.2: the sum over
// third parties k ∉ {i, j} is the product's entry less the k = i, j terms).
void balance_products(const State& state, Workspace& ws) {
  const int N = static_cast<int>(state.R.rows());
  for (int k = 0; k < N; ++k) {
    const double wk = state.w(k);
    for (int j = 0; j < N; ++j) {
      const double rkj = state.R(k, j), akj = std::abs(rkj);
      ws.absR(k, j) = akj;
      ws.wR(k, j) = wk * rkj;
      ws.wabsR(k, j) = wk * akj;
    }
  }
  product(state.R, ws.wR, ws.triad, ws);
  product(ws.absR, ws.wabsR, ws.triad_abs, ws);
}

// Balance's ω and τ for the pairs (i, j) of one row: with the third parties'
// weight t = Σw − w_i − w_j, B = (C[j] − (w_i + w_j) R[i][j]) / t and
// B_abs = (C_abs[j] − (w_i + w_j) |R[i][j]|) / t; ω = balance B_abs and
// τ = B / B_abs where t > 0 and B_abs > 0, else 0 and 0. Written with Eigen's
// packets (GCC does not if-convert the selects), lane by lane the same
// IEEE operations as the scalar tail.
void balance_row(int N, const double* w, double w_total, double wi, const double* Ri,
                 const double* C, const double* Cabs, double balance, double* om_b, double* ta_b) {
  namespace ei = Eigen::internal;
  using Packet = ei::packet_traits<double>::type;
  constexpr int kLanes = ei::packet_traits<double>::size;
  int j = 0;
  if constexpr (kLanes > 1) {
    const Packet total_less_i = ei::pset1<Packet>(w_total - wi);
    const Packet w_i = ei::pset1<Packet>(wi);
    const Packet zero = ei::pset1<Packet>(0.0);
    const Packet rate = ei::pset1<Packet>(balance);
    for (; j + kLanes <= N; j += kLanes) {
      const Packet wj = ei::ploadu<Packet>(w + j);
      const Packet rij = ei::ploadu<Packet>(Ri + j);
      const Packet pair = ei::padd(w_i, wj);
      const Packet third = ei::psub(total_less_i, wj);
      const Packet b = ei::pdiv(ei::psub(ei::ploadu<Packet>(C + j), ei::pmul(pair, rij)), third);
      const Packet b_abs =
          ei::pdiv(ei::psub(ei::ploadu<Packet>(Cabs + j), ei::pmul(pair, ei::pabs(rij))), third);
      const Packet on = ei::pand(ei::pcmp_lt(zero, third), ei::pcmp_lt(zero, b_abs));
      ei::pstoreu(om_b + j, ei::pselect(on, ei::pmul(rate, b_abs), zero));
      ei::pstoreu(ta_b + j, ei::pselect(on, ei::pdiv(b, b_abs), zero));
    }
  }
  for (; j < N; ++j) {
    const double third = w_total - wi - w[j];
    const double b = (C[j] - (wi + w[j]) * Ri[j]) / third;
    const double b_abs = (Cabs[j] - (wi + w[j]) * std::abs(Ri[j])) / third;
    const bool on = third > 0 && b_abs > 0;
    om_b[j] = on ? balance * b_abs : 0.0;
    ta_b[j] = on ? b / b_abs : 0.0;
  }
}

}  // namespace

namespace {

// The step for N actors, N = kFixedN when kFixedN > 0 (the loops over j then
// unroll), else model.n.
template <bool kDrivers, int kFixedN>
void affinities(const Model& model, const State& state, Workspace& ws, StepDrivers* drivers) {
  const int N = kFixedN > 0 ? kFixedN : model.n, K = model.k, Q = model.q;
  const Rates& r = state.rates;
  const double* const w = state.w.data();
  const bool balance_on = N >= 3 && r.balance > 0;
  double w_total = 0.0;
  for (int k = 0; k < N; ++k) w_total += w[k];
  if (balance_on) balance_products(state, ws);
  const bool institutions_on = r.institutions > 0 && model.g > 0;
  if (institutions_on) update_shared_membership(model, state, ws);
  const bool stakes_on = r.stakes > 0;
  if (stakes_on) update_stakes(model, state, ws);
  const auto row = [&](int t) { return ws.row_terms.row(t).data(); };
  double* const om_b = row(kOmegaBalance);
  double* const ta_b = row(kTauBalance);
  double* const om_s = row(kOmegaSimilarity);
  double* const ta_s = row(kTauSimilarity);
  double* const om_i = row(kOmegaInstitutions);
  double* const om_t = row(kOmegaInterdependence);
  double* const om_m = row(kOmegaMemory);
  double* const total = row(kTotal);
  double* const value = row(kValue);
  // τ of the slots whose target does not depend on j (0 where ω is 0 by
  // being off, as a zeroed slot has both ω = 0 and τ = 0).
  const double ta_i = institutions_on ? 1.0 : 0.0;
  const double ta_t = 1.0;
  const double K_double = K;
  const int memory_slot = kFirstStakesSlot + Q;
  const double sr = r.noise_affinity;

  for (int i = 0; i < N; ++i) {
    const double* const Ri = state.R.data() + Index{i} * N;
    const double* const Ti = state.T.data() + Index{i} * N;
    const double* const R0i = state.anchor.data() + Index{i} * N;  // memory's target
    const double wi = w[i];
    if (balance_on) {
      const double* const C = ws.triad.data() + Index{i} * N;
      const double* const Cabs = ws.triad_abs.data() + Index{i} * N;
      balance_row(N, w, w_total, wi, Ri, C, Cabs, r.balance, om_b, ta_b);
    } else {
      std::fill(om_b, om_b + N, 0.0);
      std::fill(ta_b, ta_b + N, 0.0);
    }
    if (K >= 1) {
      std::fill(ta_s, ta_s + N, 0.0);  // the distance d, then τ
      for (int a = 0; a < K; ++a) {
        const double* const xa = ws.x_t.data() + Index{a} * N;
        const double xia = xa[i];
        for (int j = 0; j < N; ++j) ta_s[j] += std::abs(xia - xa[j]);
      }
      for (int j = 0; j < N; ++j) ta_s[j] = 1.0 - ta_s[j] / K_double;
    } else {
      std::fill(ta_s, ta_s + N, 0.0);
    }
    std::fill(om_s, om_s + N, K >= 1 ? r.similarity : 0.0);
    if (institutions_on) {
      const double* const Si = ws.shared_membership.data() + Index{i} * N;
      for (int j = 0; j < N; ++j) om_i[j] = r.institutions * Si[j];
    } else {
      std::fill(om_i, om_i + N, 0.0);
    }
    for (int j = 0; j < N; ++j) om_t[j] = r.interdependence * Ti[j];
    for (int q = 0; q < Q; ++q) {
      double* const om_q = row(stakes_omega_row(q));
      double* const ta_q = row(stakes_tau_row(q));
      if (stakes_on) {
        const double* const sq = ws.stake.data() + Index{q} * N;
        const double sqi = sq[i];
        for (int j = 0; j < N; ++j) {
          const double joint = sqi * sq[j];
          om_q[j] = r.stakes * std::abs(joint);
          ta_q[j] = joint > 0 ? 1.0 : (joint < 0 ? -1.0 : 0.0);
        }
      } else {
        std::fill(om_q, om_q + N, 0.0);
        std::fill(ta_q, ta_q + N, 0.0);
      }
    }
    std::fill(om_m, om_m + N, r.memory);

    // Σ ω in slot order; above 1, every ω is divided by it.
    for (int j = 0; j < N; ++j) total[j] = (((0.0 + om_b[j]) + om_s[j]) + om_i[j]) + om_t[j];
    for (int q = 0; q < Q; ++q) {
      const double* const om_q = row(stakes_omega_row(q));
      for (int j = 0; j < N; ++j) total[j] += om_q[j];
    }
    bool normalise = false;
    for (int j = 0; j < N; ++j) {
      total[j] += om_m[j];
      normalise |= j != i && total[j] > 1.0;
    }
    if (normalise) {
      const auto divide = [&](double* om) {
        for (int j = 0; j < N; ++j) {
          const double scaled = om[j] / total[j];
          om[j] = total[j] > 1.0 ? scaled : om[j];
        }
      };
      for (double* om : {om_b, om_s, om_i, om_t, om_m}) divide(om);
      for (int q = 0; q < Q; ++q) divide(row(stakes_omega_row(q)));
    }
    // R[i][j] + Σ_m ω_m (τ_m − R[i][j]), slot by slot in order.
    for (int j = 0; j < N; ++j) {
      const double rij = Ri[j];
      double x = rij;
      x += om_b[j] * (ta_b[j] - rij);
      x += om_s[j] * (ta_s[j] - rij);
      x += om_i[j] * (ta_i - rij);
      x += om_t[j] * (ta_t - rij);
      value[j] = x;
    }
    for (int q = 0; q < Q; ++q) {
      const double* const om_q = row(stakes_omega_row(q));
      const double* const ta_q = row(stakes_tau_row(q));
      for (int j = 0; j < N; ++j) value[j] += om_q[j] * (ta_q[j] - Ri[j]);
    }
    for (int j = 0; j < N; ++j) value[j] += om_m[j] * (R0i[j] - Ri[j]);

    for (int j = 0; j < N; ++j) {
      if (j == i) continue;
      const double noise = sr > 0 ? sr * ws.noise_R(i, j) : 0.0;
      const double before_clip = value[j] + noise;
      const double after = clip(before_clip);
      ws.R_next(i, j) = after;
      if constexpr (kDrivers) {
        double* const slot = &drivers->affinity(i * N + j, 0);
        const double rij = Ri[j];
        slot[kBalanceSlot] = om_b[j] * (ta_b[j] - rij);
        slot[kSimilaritySlot] = om_s[j] * (ta_s[j] - rij);
        slot[kInstitutionsSlot] = om_i[j] * (ta_i - rij);
        slot[kInterdependenceSlot] = om_t[j] * (ta_t - rij);
        for (int q = 0; q < Q; ++q) {
          slot[kFirstStakesSlot + q] =
              row(stakes_omega_row(q))[j] * (row(stakes_tau_row(q))[j] - rij);
        }
        slot[memory_slot] = om_m[j] * (R0i[j] - rij);
        slot[drivers->affinity_noise_slot()] = noise;
        slot[drivers->affinity_clip_slot()] = after - before_clip;
      }
    }
    ws.R_next(i, i) = 1.0;
  }
}

}  // namespace

template <bool kDrivers>
void step_affinities(const Model& model, const State& state, Workspace& ws, StepDrivers* drivers) {
  if (model.n == 7)
    affinities<kDrivers, 7>(model, state, ws, drivers);
  else
    affinities<kDrivers, 0>(model, state, ws, drivers);
}

template void step_affinities<true>(const Model&, const State&, Workspace&, StepDrivers*);
template void step_affinities<false>(const Model&, const State&, Workspace&, StepDrivers*);

}  // namespace entente::detail
