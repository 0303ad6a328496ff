// The fast paths of writing outputs keep every byte. The number writers of
// the CSV files (engine/util/shortest.hpp) write exactly the bytes of
// std::to_chars, which MODEL.md §6 and the pinned
// outputs (test_seeded_outputs.cpp) are defined by: on 10^7 random bit
// patterns, on the values outputs hold (uniform in [−1, 1], short decimals),
// and on every boundary: subnormals, all powers of two and of ten with their
// neighbours, the switch between fixed and scientific notation, whole
// numbers, negative zero, infinities and NaN. summary.csv's statistics,
// computed by selection rather than a full sort, have the bits of
// compute_stats's.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "entente/run/summary.hpp"
#include "util/shortest.hpp"

namespace entente::detail {
namespace {

using entente::compute_stats;
using entente::Observable;
using entente::Stats;
using entente::SummaryAccumulator;

std::string expected(double v) {
  if (v == 0.0) v = 0.0;  // negative zero is written as 0
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string written(double v) {
  char buf[kShortestMaxChars];
  return std::string(buf, write_shortest(buf, v));
}

// Counts mismatches, reporting the first few; both signs of each value.
int mismatches(const std::vector<double>& values) {
  int bad = 0;
  for (double x : values) {
    for (double v : {x, -x}) {
      const std::string want = expected(v), got = written(v);
      if (want != got && ++bad <= 5) {
        ADD_FAILURE() << "bits " << std::hex << std::bit_cast<std::uint64_t>(v) << ": to_chars "
                      << want << ", write_shortest " << got;
      }
    }
  }
  return bad;
}

double parse(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

void with_neighbours(std::vector<double>& out, double v) {
  out.push_back(v);
  double lo = v, hi = v;
  for (int k = 0; k < 3; ++k) {
    lo = std::nextafter(lo, 0.0);
    hi = std::nextafter(hi, std::numeric_limits<double>::infinity());
    out.push_back(lo);
    out.push_back(hi);
  }
}

TEST(ShortestDouble, HandPickedValues) {
  EXPECT_EQ(written(0.1), "0.1");
  EXPECT_EQ(written(-0.15), "-0.15");
  EXPECT_EQ(written(1e-5), "1e-05");
  EXPECT_EQ(written(0.001), "0.001");   // as long as 1e-03: fixed wins the tie
  EXPECT_EQ(written(0.0001), "1e-04");  // shorter than 0.0001
  EXPECT_EQ(written(1e22), "1e+22");
  EXPECT_EQ(written(123.456), "123.456");
  EXPECT_EQ(written(-0.0), "0");
  EXPECT_EQ(written(5e-324), "5e-324");
  EXPECT_EQ(written(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(written(std::pow(2.0, 60)), "1152921504606846976");  // exact, not ...847000
  EXPECT_EQ(written(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(written(-std::numeric_limits<double>::quiet_NaN()), expected(-NAN));
}

TEST(ShortestDouble, RandomBitPatternsMatchToChars) {
  std::mt19937_64 gen(20261130);
  std::vector<double> values(10'000'000 / 2);  // and their negatives
  for (auto& v : values) v = std::bit_cast<double>(gen());
  EXPECT_EQ(mismatches(values), 0);
}

TEST(ShortestDouble, ValuesOutputsHoldMatchToChars) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::vector<double> values;
  for (int k = 0; k < 1'000'000; ++k) values.push_back(unit(gen));
  for (int k = 0; k < 1'000'000; ++k) values.push_back(unit(gen) * std::pow(10.0, k % 40 - 20));
  for (int d = 0; d < 100'000; ++d) {  // short decimals: d / 10^m
    for (int m = 0; m < 8; ++m) values.push_back(d / std::pow(10.0, m));
  }
  EXPECT_EQ(mismatches(values), 0);
}

TEST(ShortestDouble, BoundariesMatchToChars) {
  std::vector<double> values;
  for (int e = -1074; e <= 1023; ++e) with_neighbours(values, std::ldexp(1.0, e));
  for (int e = -323; e <= 308; ++e) with_neighbours(values, parse("1e" + std::to_string(e)));
  // Around the switch between notations: k · 10^p for short k.
  for (int p = -30; p <= 30; ++p) {
    for (int k = 1; k < 1000; ++k)
      with_neighbours(values, parse(std::to_string(k) + "e" + std::to_string(p)));
  }
  std::mt19937_64 gen(11);
  for (int k = 0; k < 1'000'000; ++k) {  // subnormals
    values.push_back(std::bit_cast<double>(gen() & 0x000fffffffffffffULL));
  }
  for (std::uint64_t k = 0; k < 100'000; ++k) {  // whole numbers, small and near 2^53, 2^64
    values.push_back(static_cast<double>(k));
    values.push_back(9007199254740992.0 + static_cast<double>(k) * 2.0);
    values.push_back(std::ldexp(static_cast<double>(gen() >> 11), 11));
  }
  for (double v : {std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::epsilon(),
                   std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN(), 1e16, 1e-5, 9.999999999999999e15,
                   1.0000000000000002e16, 9.999999999999999e-6, 1.0000000000000001e-5}) {
    with_neighbours(values, v);
  }
  EXPECT_EQ(mismatches(values), 0);
}

TEST(WriteUint, MatchesToChars) {
  std::vector<std::uint64_t> values{
      0, 1, 9, 10, 99, 100, std::numeric_limits<std::uint64_t>::max()};
  for (std::uint64_t p = 1; p < 10'000'000'000'000'000'000ULL; p *= 10) {
    values.push_back(p - 1);
    values.push_back(p);
    values.push_back(p + 1);
  }
  std::mt19937_64 gen(3);
  for (int k = 0; k < 100'000; ++k) values.push_back(gen() >> (k % 64));
  for (std::uint64_t v : values) {
    char a[24], b[24];
    const std::string want(a, std::to_chars(a, a + sizeof a, v).ptr);
    const std::string got(b, write_uint(b, v));
    ASSERT_EQ(got, want);
  }
}

// Samples with ties, ±0, a wide spread and sizes around every rank's edge:
// the accumulator's statistics (by selection) equal compute_stats's (a sort)
// bit for bit, NaN included (it falls back to the sort).
TEST(SummaryStatistics, SelectionHasTheBitsOfASort) {
  std::mt19937_64 gen(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int runs : {1, 2, 63, 64, 65, 100, 101, 200, 1000, 4097}) {
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<double> v(static_cast<std::size_t>(runs));
      for (auto& x : v) {
        const double z = normal(gen);
        x = kind == 0   ? z
            : kind == 1 ? std::round(2.0 * z) / 2.0  // many ties, and −0
            : kind == 2 ? z * std::pow(10.0, static_cast<int>(gen() % 40) - 20)
                        : (gen() % 50 == 0 ? NAN : z);
      }
      SummaryAccumulator acc({Observable{}}, 0, runs);
      for (int r = 0; r < runs; ++r) acc.record(r, 0, &v[static_cast<std::size_t>(r)]);
      acc.finish();
      const Stats got = acc.stats(0, 0);
      std::vector<double> sorted = v;
      const Stats want = compute_stats(sorted);
      const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
      EXPECT_EQ(bits(got.mean), bits(want.mean)) << runs << " " << kind;
      EXPECT_EQ(bits(got.sd), bits(want.sd)) << runs << " " << kind;
      for (std::size_t k = 0; k < want.quantile.size(); ++k) {
        // ±0 may swap places between equal values; both print as 0.
        EXPECT_TRUE(bits(got.quantile[k]) == bits(want.quantile[k]) ||
                    (got.quantile[k] == 0.0 && want.quantile[k] == 0.0))
            << runs << " " << kind << " quantile " << k;
      }
    }
  }
}

}  // namespace
}  // namespace entente::detail
