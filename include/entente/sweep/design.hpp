// Designs of experiments for sweeps: which parameter values each design point
// takes. A design is built in the unit cube [0, 1]^k (grid levels, random
// draws, Latin hypercube strata, Sobol' points, Morris trajectories) and each
// parameter maps its unit coordinate to a value (a list entry, a linear or
// logarithmic range, or the quantile of a truncated distribution). The sweep
// file (sweep.hpp) fills these structures; nothing here knows TOML or CSV.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "entente/util/diagnostics.hpp"

namespace entente {

// One swept parameter: an override path and how a unit value u ∈ [0, 1] maps
// to its value.
//
//   values      entry floor(u·n) of `labels` (u = 1 → the last); numeric when
//               every entry is a number (`numbers`), categorical otherwise
//   range       lo + u (hi − lo), or lo (hi/lo)^u with `log`
//   uniform     the same as range
//   normal      quantile of N(mean, sd) truncated to [lo, hi]
//   triangular  quantile of the triangular distribution (lo, mode, hi)
//
// Truncation: a normal's [lo, hi] defaults to (−∞, ∞); a design that would
// reach an infinite value (u = 0 or 1: grid ends, Morris levels) is an error.
struct ParameterSpec {
  enum class Kind { values, range, normal, triangular };
  std::string path;
  Kind kind = Kind::range;
  std::vector<std::string> labels;  // values: as shown in CSV files
  std::vector<std::string> texts;   // values: as TOML for `--set` (strings quoted)
  std::vector<double> numbers;      // values: the numbers (when numeric)
  bool categorical = false;         // values that are not all numbers
  double lo = 0.0, hi = 1.0;        // range; truncation of normal; triangular's ends
  double mode = 0.0;                // triangular
  double mean = 0.0, sd = 1.0;      // normal
  bool log = false;                 // range with scale = "log"
  int levels = 0;                   // grid levels of a continuous parameter (0: the design's)
  SourceLocation where;             // the [[parameters]] entry, for messages
};

// The value of `p` at unit coordinate u: a number, or for a categorical
// parameter the index of its label. Throws InputError (at p.where) when the
// value is not finite (an untruncated normal at u = 0 or 1).
double parameter_value(const ParameterSpec& p, double u);

// The value as written in CSV files (shortest round-trip number, or label).
std::string parameter_label(const ParameterSpec& p, double value);
// The value as an override's VALUE (a TOML literal).
std::string parameter_text(const ParameterSpec& p, double value);

// What kind of design and its size.
//
//   grid    full factorial: every entry of `values` parameters, `levels`
//           evenly spaced values of ranges (ends included) and `levels`
//           mid-quantiles of distributions; the first parameter varies slowest
//   random  `points` independent uniform draws
//   lhs     Latin hypercube of `points` points: each parameter's range cut
//           into `points` equal strata, one point in each
//   sobol   the first `points` points of the Sobol' sequence (Boost.Random,
//           Joe–Kuo direction numbers), after its initial all-zero point;
//           with `saltelli`, N = `points` base samples arranged for Sobol'
//           indices: for each j the rows A_j, AB_j^1 … AB_j^k, B_j (N (k + 2)
//           points; A and B are the first and last k coordinates of a
//           2k-dimensional Sobol' sequence), the layout of SALib's
//           saltelli.sample without second-order terms
//   morris  `trajectories` Morris trajectories of k + 1 points on a grid of
//           `levels` (even) levels, step Δ = levels / (2 (levels − 1)); each
//           moves one parameter at a time, in random order and direction
//   table   the rows of a CSV file (header: parameter paths), as given
struct DesignSpec {
  enum class Kind { grid, random, lhs, sobol, morris, table };
  Kind kind = Kind::random;
  int points = 0;
  bool saltelli = false;
  int trajectories = 0;
  int levels = 0;  // grid: default levels of continuous parameters; morris: grid levels
  std::filesystem::path table;
  SourceLocation where;  // the [design] table
};

const char* to_string(DesignSpec::Kind kind);

// A built design: values[point][parameter] (numbers, or label indices for
// categorical parameters).
struct Design {
  DesignSpec::Kind kind = DesignSpec::Kind::random;
  bool saltelli = false;
  std::vector<ParameterSpec> parameters;
  std::vector<std::vector<double>> values;
  int points() const { return static_cast<int>(values.size()); }
};

// Builds the design; random choices (random, lhs, morris) come from a
// generator seeded with splitmix64(seed ^ 0x64657369676E) ("design"), so a
// design depends only on the sweep file. Throws InputError (at spec.where or
// a parameter's where) for a size that is too small or a design that needs
// something a parameter lacks. A table design takes its parameters from the
// file (`parameters` must then be empty).
Design make_design(const DesignSpec& spec, const std::vector<ParameterSpec>& parameters,
                   std::uint64_t seed);

// Building blocks, in the unit cube, row = point.
std::vector<std::vector<double>> sobol_points(int n, int dims);
std::vector<std::vector<double>> latin_hypercube(int n, int dims, std::uint64_t seed);
std::vector<std::vector<double>> morris_trajectories(int trajectories, int dims, int levels,
                                                     std::uint64_t seed);
std::vector<std::vector<double>> saltelli_points(int n, int dims);

}  // namespace entente
