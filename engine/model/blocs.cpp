#include "entente/model/blocs.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdint>

namespace entente {

BlocWorkspace make_bloc_workspace(int actors) {
  BlocWorkspace w;
  if (actors >= 1 && actors <= kExhaustiveBlocActors) {
    w.energy.assign(std::size_t{1} << (actors - 1), 0.0);
  }
  w.coupling.resize(actors, actors);
  return w;
}

double bloc_energy(const RowMatrix& coupling, const std::vector<int>& group) {
  const auto n = static_cast<int>(group.size());
  double e = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (group[static_cast<std::size_t>(i)] != group[static_cast<std::size_t>(j)]) {
        e += coupling(i, j);
      }
    }
  }
  return e;
}

namespace {

void exhaustive(const RowMatrix& J, int anchor, BlocWorkspace& work, BlocPartition& out) {
  const int n = static_cast<int>(J.rows());
  // The non-anchor actors, in file order; compressed bit b stands for actor
  // others[b]. Removing the anchor's (always clear) bit keeps masks in order.
  int others[kExhaustiveBlocActors];
  int count = 0;
  for (int i = 0; i < n; ++i) {
    if (i != anchor) others[count++] = i;
  }
  double scale = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) scale += std::abs(J(i, j));
  }
  const double tolerance = 1e-12 * scale;
  const std::uint32_t total = std::uint32_t{1} << count;
  work.energy[0] = 0.0;
  double best = 0.0;
  std::uint32_t best_mask = 0;
  for (std::uint32_t mask = 1; mask < total; ++mask) {
    // Move the lowest set actor from A to B, starting from the split without it.
    const int b = __builtin_ctz(mask);
    const int actor = others[b];
    double delta = 0.0;
    for (int c = 0; c < count; ++c) {
      if (c == b) continue;
      const double coupling = J(actor, others[c]);
      delta += (mask >> c) & 1u ? -coupling : coupling;
    }
    delta += J(actor, anchor);  // the anchor is always in A
    const double e = work.energy[mask & (mask - 1)] + delta;
    work.energy[mask] = e;
    if (e < best - tolerance) {
      best = e;
      best_mask = mask;
    }
  }
  out.group.assign(static_cast<std::size_t>(n), 0);
  for (int c = 0; c < count; ++c) {
    if ((best_mask >> c) & 1u) out.group[static_cast<std::size_t>(others[c])] = 1;
  }
  out.heuristic = false;
}

// Spectral start (the sign of the leading eigenvector of the coupling matrix,
// which maximises Σ J_ij s_i s_j over unit vectors), then single moves that
// lower E the most until none does.
void heuristic(const RowMatrix& J, int anchor, BlocPartition& out) {
  const int n = static_cast<int>(J.rows());
  Eigen::MatrixXd sym = J;
  sym.diagonal().setZero();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(sym);
  const Eigen::VectorXd lead = solver.eigenvectors().col(n - 1);
  out.group.assign(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i) out.group[static_cast<std::size_t>(i)] = lead(i) < 0 ? 1 : 0;
  for (int iteration = 0; iteration < 4 * n * n; ++iteration) {
    int best_actor = -1;
    double best_gain = 1e-15;
    for (int i = 0; i < n; ++i) {
      // Flipping i changes E by Σ_j J_ij ([same before] − [different before]).
      double change = 0.0;
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        change += out.group[static_cast<std::size_t>(i)] == out.group[static_cast<std::size_t>(j)]
                      ? J(i, j)
                      : -J(i, j);
      }
      if (-change > best_gain) {
        best_gain = -change;
        best_actor = i;
      }
    }
    if (best_actor < 0) break;
    auto& g = out.group[static_cast<std::size_t>(best_actor)];
    g = 1 - g;
  }
  out.heuristic = true;
  (void)anchor;
}

}  // namespace

void find_blocs(const RowMatrix& R, const Eigen::VectorXd& p, int anchor, BlocWorkspace& work,
                BlocPartition& out) {
  const int n = static_cast<int>(R.rows());
  work.coupling.resize(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) work.coupling(i, j) = p(i) * p(j) * 0.5 * (R(i, j) + R(j, i));
  }
  if (n <= kExhaustiveBlocActors) {
    exhaustive(work.coupling, anchor, work, out);
  } else {
    heuristic(work.coupling, anchor, out);
  }
  // Label the anchor's group A.
  if (out.group[static_cast<std::size_t>(anchor)] == 1) {
    for (auto& g : out.group) g = 1 - g;
  }
  out.frustration = bloc_energy(work.coupling, out.group);
}

}  // namespace entente
