// Bloc partitions after Axelrod & Bennett's landscape theory of aggregation
// (MODEL.md §5.2).
#pragma once

#include <vector>

#include "entente/model/model.hpp"

namespace entente {

// The two-bloc split of the actors that minimises
//   E = Σ_{i<j} pbar_i pbar_j S[i][j] · [i, j in different groups],  S = (R + Rᵀ)/2.
struct BlocPartition {
  std::vector<int> group;    // per actor: 0 = A (the anchor's), 1 = B
  double frustration = 0.0;  // the minimal E
  bool heuristic = false;    // N > 16: spectral start + single-move descent
};

// The largest number of actors searched exhaustively.
inline constexpr int kExhaustiveBlocActors = 16;

// Scratch space for the exhaustive search, 2^(N−1) energies, allocated once.
struct BlocWorkspace {
  std::vector<double> energy;
  RowMatrix coupling;  // pbar_i pbar_j S[i][j]
};
BlocWorkspace make_bloc_workspace(int actors);

// Up to 16 actors: exhaustive over the 2^(N−1) splits with the anchor in A.
// Energies are built incrementally, so exact ties are judged within
// 1e-12 · Σ|coupling|: among splits that close to the minimum the smallest
// bit mask (bit i set = actor i in B) wins. Above 16 actors: the heuristic.
void find_blocs(const RowMatrix& R, const Eigen::VectorXd& power_share, int anchor,
                BlocWorkspace& work, BlocPartition& out);

// E of a given split, summed over i < j in file order.
double bloc_energy(const RowMatrix& coupling, const std::vector<int>& group);

}  // namespace entente
