// Sweeps beyond one machine (docs/cluster.md): shards merged, and MPI ranks,
// give the bytes of one process; merge refuses what is not one whole sweep.
#include <gtest/gtest.h>

#include <cstdlib>

#include <fstream>

#include "cli_support.hpp"

namespace {

using entente::testing::cli;
using entente::testing::fresh_dir;
using entente::testing::slurp;

const std::string kFile = "tests/data/sweeps/small.toml";

std::string q(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

class SweepShards : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fresh_dir("sweep-shards");
    ASSERT_EQ(cli("sweep " + kFile + " -q -o " + q(dir / "one")).status, 0);
    for (int i = 0; i < 3; ++i) {
      const auto r = cli("sweep " + kFile + " -q --shard " + std::to_string(i) + "/3 -o " +
                         q(dir / ("s" + std::to_string(i))));
      ASSERT_EQ(r.status, 0) << r.err;
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(SweepShards, MergedEqualOneProcessByteForByte) {
  // In any order on the command line.
  const auto r = cli("merge " + q(dir / "s2") + " " + q(dir / "s0") + " " + q(dir / "s1") + " -o " +
                     q(dir / "merged"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "merged 3 shards: 20 points, 60 runs; wrote design.csv, results.csv, "
            "manifest.json to " +
                (dir / "merged").string() + "/\n");
  const std::string one = slurp(dir / "one" / "results.csv");
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 61);
  EXPECT_EQ(slurp(dir / "merged" / "results.csv"), one);
  EXPECT_EQ(slurp(dir / "merged" / "design.csv"), slurp(dir / "one" / "design.csv"));
  // Each shard holds a contiguous block of points: 20 points over 3 → 6, 7, 7.
  const std::string s0 = slurp(dir / "s0" / "results.csv");
  EXPECT_EQ(std::count(s0.begin(), s0.end(), '\n'), 1 + 6 * 3);
  const std::string manifest = slurp(dir / "merged" / "manifest.json");
  EXPECT_EQ(manifest.find("\"shard\""), std::string::npos);
  EXPECT_NE(manifest.find("\"merged_from\""), std::string::npos);
}

TEST_F(SweepShards, MergeRefusesAMissingShard) {
  const auto r = cli("merge " + q(dir / "s0") + " " + q(dir / "s2") + " -o " + q(dir / "m"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            (dir / "m").string() + ": error: cannot merge: shard 1/3 missing (given 2 of 3)\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "m"));
}

TEST_F(SweepShards, MergeRefusesADuplicate) {
  std::filesystem::copy(dir / "s1", dir / "copy");
  const auto r = cli("merge " + q(dir / "s0") + " " + q(dir / "s1") + " " + q(dir / "copy") + " " +
                     q(dir / "s2") + " -o " + q(dir / "m"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, (dir / "copy").string() + ": error: duplicate shard 1/3, already given by " +
                       (dir / "s1").string() + "\n");
}

TEST_F(SweepShards, MergeRefusesShardsOfDifferentSweeps) {
  const auto other = dir / "other";
  const auto made = cli("sweep tests/data/sweeps/resume.toml -q --shard 1/3 -o " + q(other));
  ASSERT_EQ(made.status, 0) << made.err;
  const auto r =
      cli("merge " + q(dir / "s0") + " " + q(other) + " " + q(dir / "s2") + " -o " + q(dir / "m"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind(other.string() + ": error: belongs to a different sweep than " +
                            (dir / "s0").string() + " (its ",
                        0),
            0u)
      << r.err;
  // Shards of another count.
  ASSERT_EQ(cli("sweep " + kFile + " -q --shard 1/2 -o " + q(dir / "half")).status, 0);
  const auto c = cli("merge " + q(dir / "s0") + " " + q(dir / "half") + " -o " + q(dir / "m"));
  EXPECT_EQ(c.err, (dir / "half").string() + ": error: is shard 1/2 but " + (dir / "s0").string() +
                       " is one of 3\n");
}

TEST_F(SweepShards, MergeRefusesAnIncompleteShard) {
  // A shard killed mid-way: progress.json, no manifest.
  std::filesystem::rename(dir / "s1" / "manifest.json", dir / "s1" / "progress.json");
  const auto r = cli("merge " + q(dir / "s0") + " " + q(dir / "s1") + " " + q(dir / "s2") + " -o " +
                     q(dir / "m"));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, (dir / "s1").string() +
                       ": error: incomplete shard (progress.json but no manifest.json): finish "
                       "it with `entente sweep SWEEP.toml --shard I/N -o DIR --resume`\n");
  // A truncated results.csv.
  std::filesystem::resize_file(dir / "s2" / "results.csv", 100);
  const auto t = cli("merge " + q(dir / "s0") + " " + q(dir / "s2") + " -o " + q(dir / "m"));
  EXPECT_EQ(t.status, 2);
  EXPECT_NE(
      t.err.find((dir / "s2").string() + ": error: incomplete shard: results.csv holds 100 bytes"),
      std::string::npos)
      << t.err;
  // The output may not be one of the shards.
  const auto o = cli("merge " + q(dir / "s0") + " -o " + q(dir / "s0"));
  EXPECT_EQ(o.err, (dir / "s0").string() + ": error: is one of the shards; choose another -o\n");
  EXPECT_TRUE(std::filesystem::exists(dir / "s0" / "manifest.json"));
  // A whole sweep is not a shard.
  const auto w = cli("merge " + q(dir / "one") + " -o " + q(dir / "m"));
  EXPECT_EQ(w.err, (dir / "one").string() +
                       ": error: not a shard (its manifest.json has no \"shard\"); run with "
                       "--shard I/N\n");
}

TEST(SweepShardOption, BadValuesAreRefused) {
  for (const std::string bad : {"3/3", "1", "a/2", "-1/2"}) {
    const auto r = cli("sweep " + kFile + " -q --shard=" + bad + " -o /nonexistent/x");
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_EQ(r.err,
              "--shard: error: '" + bad + "': expected I/N with 0 <= I < N, e.g. --shard 0/4\n");
  }
}

TEST(SweepMpiOption, WithoutMpiSaysSoAndWithItRunsAlone) {
  const auto dir = fresh_dir("sweep-mpi-option");
  // (Sanitizer builds: Open MPI never frees what MPI_Init allocates.)
  ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
  const auto r = cli("sweep " + kFile + " -q --mpi -o " + q(dir / "mpi"));
  ::unsetenv("ASAN_OPTIONS");
#ifdef ENTENTE_TEST_HAVE_MPI
  // One rank (no mpirun): rank 0 computes alone, the same bytes.
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(cli("sweep " + kFile + " -q -o " + q(dir / "one")).status, 0);
  EXPECT_EQ(slurp(dir / "mpi" / "results.csv"), slurp(dir / "one" / "results.csv"));
#else
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "mpirun: error: MPI is not available: this entente was built without MPI (install "
            "libboost-mpi1.81-dev and libopenmpi-dev and rebuild); use --shard I/N instead\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "mpi"));
#endif
  std::filesystem::remove_all(dir);
}

}  // namespace
