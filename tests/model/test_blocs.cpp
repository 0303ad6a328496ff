// Bloc partitions (MODEL.md §5.2) on cases small enough to check by hand.
#include <gtest/gtest.h>

#include "entente/model/blocs.hpp"
#include "entente/model/model.hpp"

namespace entente {
namespace {

RowMatrix affinities(std::initializer_list<std::initializer_list<double>> rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  RowMatrix R(n, n);
  Eigen::Index i = 0;
  for (const auto& row : rows) {
    Eigen::Index j = 0;
    for (double v : row) R(i, j++) = v;
    ++i;
  }
  return R;
}

BlocPartition blocs(const RowMatrix& R, const Eigen::VectorXd& p, int anchor) {
  BlocWorkspace w = make_bloc_workspace(static_cast<int>(R.rows()));
  BlocPartition out;
  find_blocs(R, p, anchor, w, out);
  return out;
}

TEST(Blocs, TwoCampsSplitAlongTheirRivalry) {
  // A,B friends; C,D friends; across the camps rivals (−0.5).
  const RowMatrix R = affinities(
      {{1, 0.8, -0.5, -0.5}, {0.8, 1, -0.5, -0.5}, {-0.5, -0.5, 1, 0.6}, {-0.5, -0.5, 0.6, 1}});
  const Eigen::VectorXd p = Eigen::VectorXd::Constant(4, 0.25);
  const BlocPartition b = blocs(R, p, 0);
  EXPECT_EQ(b.group, (std::vector<int>{0, 0, 1, 1}));
  // E = Σ over the four cross pairs of (1/16)(−0.5) = −0.125.
  EXPECT_NEAR(b.frustration, -0.125, 1e-15);
  EXPECT_FALSE(b.heuristic);
  // The anchor's bloc is A whichever actor it is.
  EXPECT_EQ(blocs(R, p, 3).group, (std::vector<int>{1, 1, 0, 0}));
}

TEST(Blocs, AllFriendsStayTogether) {
  const RowMatrix R = affinities({{1, 0.5, 0.2}, {0.5, 1, 0.1}, {0.2, 0.1, 1}});
  const BlocPartition b = blocs(R, Eigen::VectorXd::Constant(3, 1.0 / 3), 0);
  EXPECT_EQ(b.group, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(b.frustration, 0.0);
}

TEST(Blocs, TiesGoToTheSmallestMask) {
  // Every affinity 0: every split has E = 0; mask 0 (everyone in A) wins.
  const RowMatrix R = RowMatrix::Identity(5, 5);
  EXPECT_EQ(blocs(R, Eigen::VectorXd::Constant(5, 0.2), 2).group, (std::vector<int>(5, 0)));
  // A frustrated triangle of equal rivals: the splits {C} vs {A,B} (mask 100),
  // {B} (010) and {B,C} (110) tie at E = −2/9; {B} alone, mask 010, is the smallest.
  const RowMatrix T = affinities({{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}});
  const BlocPartition b = blocs(T, Eigen::VectorXd::Constant(3, 1.0 / 3), 0);
  EXPECT_EQ(b.group, (std::vector<int>{0, 1, 0}));
  EXPECT_NEAR(b.frustration, -2.0 / 9.0, 1e-15);
}

TEST(Blocs, PowerWeightsTheEnergy) {
  // C is hostile to A (−0.3) and friendly to B (+0.2); with B much stronger
  // than A, C joins B's camp rather than standing alone against A.
  const RowMatrix R = affinities({{1, -0.9, -0.3}, {-0.9, 1, 0.2}, {-0.3, 0.2, 1}});
  Eigen::VectorXd p(3);
  p << 0.2, 0.6, 0.2;
  EXPECT_EQ(blocs(R, p, 0).group, (std::vector<int>{0, 1, 1}));
}

TEST(Blocs, ExhaustiveMatchesBruteForceOnRandomCases) {
  std::srand(3);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 2 + trial % 8;
    RowMatrix R = RowMatrix::Random(n, n);
    R.diagonal().setOnes();
    Eigen::VectorXd p = Eigen::VectorXd::Random(n).cwiseAbs().array() + 0.1;
    p /= p.sum();
    const BlocPartition b = blocs(R, p, 0);
    // Brute force: every split with actor 0 in A, E summed directly.
    double best = 1e300;
    for (unsigned mask = 0; mask < (1u << n); mask += 2) {
      std::vector<int> g(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) g[static_cast<std::size_t>(i)] = (mask >> i) & 1u;
      RowMatrix J(n, n);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) J(i, j) = p(i) * p(j) * 0.5 * (R(i, j) + R(j, i));
      }
      best = std::min(best, bloc_energy(J, g));
    }
    EXPECT_NEAR(b.frustration, best, 1e-12) << "trial " << trial;
  }
}

TEST(Blocs, AboveSixteenActorsTheHeuristicIsUsedAndSaysSo) {
  const int n = 20;
  // Two camps of ten: friends inside, rivals across.
  RowMatrix R(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) R(i, j) = i == j ? 1.0 : ((i < 10) == (j < 10) ? 0.5 : -0.5);
  }
  const BlocPartition b = blocs(R, Eigen::VectorXd::Constant(n, 1.0 / n), 0);
  EXPECT_TRUE(b.heuristic);
  for (int i = 0; i < n; ++i) EXPECT_EQ(b.group[static_cast<std::size_t>(i)], i < 10 ? 0 : 1);
}

}  // namespace
}  // namespace entente
