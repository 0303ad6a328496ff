// Sensitivity analysis of a sweep's results (docs/sweeps.md "Analysis"):
// Morris elementary effects, Sobol' indices (Saltelli 2010 first order,
// Jansen total) and standardised regression coefficients, each with
// bootstrap percentile intervals. Works on any results table in the
// documented format, whoever wrote it.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace entente {

// A sweep's results reduced to one value per design point: x[point][param]
// from design.csv (categorical parameters coded 0, 1, … in order of first
// appearance), y[point][output] the mean of the point's rows in results.csv.
struct SweepResults {
  std::vector<std::string> parameters;
  std::vector<bool> categorical;
  std::vector<std::string> outputs;
  Eigen::MatrixXd x;      // points × parameters
  Eigen::MatrixXd y;      // points × outputs
  std::string design;     // from manifest.json ("" without one)
  bool saltelli = false;  // from manifest.json
};

// Reads DIR/design.csv (`point`, optional `seed`, one column per parameter)
// and DIR/results.csv (`point`, optional `replicate` and `seed`, columns
// named like parameters are ignored, every other column is an output), and
// DIR/manifest.json when present. Throws InputError (FILE:LINE:COL) for a
// missing file or column, a cell that is not a number, a point that is not
// in the design or has no rows.
SweepResults read_sweep_results(const std::filesystem::path& dir);

// One parameter's indices for one output. `values` follow `columns` of the
// Analysis; `key` is what the ranking sorts on (descending).
struct SensitivityRow {
  std::string output;
  std::string parameter;
  std::vector<double> values;
  double key = 0.0;
};

// The indices of every output: rows grouped by output (in results order),
// ranked within each. Columns:
//   morris:     mu, mu_star, sigma, mu_star_scaled, mu_star_scaled_low, mu_star_scaled_high,
//               sigma_scaled, effects
//   sobol:      first, first_low, first_high, total, total_low, total_high
//   regression: src, src_low, src_high, r2
struct Analysis {
  std::string method;
  std::vector<std::string> columns;
  std::vector<SensitivityRow> rows;
};

// Elementary effects of a Morris design (trajectories of k + 1 consecutive
// points, each step changing exactly one parameter): EE = Δy / Δx in the
// parameter's own units, so a linear function's μ and μ* are its
// coefficients; mu_star_scaled = μ* × (max − min of the parameter in the
// design) compares parameters of different units (SALib's μ* when the design
// spans the parameter's range); the interval is μ*'s, from resampling
// trajectories. Throws InputError when the design is not of that shape.
Analysis morris_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed);

// Sobol' indices of a Saltelli design (N blocks A, AB^1 … AB^k, B):
//   V   = variance of f(A) and f(B) together
//   S_i = mean(f(B) (f(AB^i) − f(A))) / V          (Saltelli et al. 2010)
//   T_i = mean((f(A) − f(AB^i))²) / (2 V)          (Jansen 1999)
// with intervals from resampling the N blocks. Throws InputError when the
// points are not in that layout.
Analysis sobol_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed);

// Standardised regression coefficients (least squares on standardised x and
// y, Eigen's column-pivoting QR) and R², with intervals from resampling
// points. Any design.
Analysis regression_analysis(const SweepResults& r, int bootstrap, std::uint64_t seed);

// The 2.5 % and 97.5 % percentiles (linear interpolation) of `v`; NaN when
// `v` is empty.
std::pair<double, double> percentile_interval(std::vector<double> v);

// Writes the analysis as CSV: output,rank,parameter,<columns>.
std::string to_csv(const Analysis& a);

// The method `entente analyze` uses without --method: "morris" for a Morris
// design, "sobol" for a Saltelli one, "regression" otherwise (r.design and
// r.saltelli come from manifest.json).
std::string default_method(const SweepResults& r);

// The analysis by `method` ("morris", "sobol" or "regression"); throws
// InputError as that method does, std::invalid_argument for another name.
Analysis analyze(const SweepResults& r, const std::string& method, int bootstrap,
                 std::uint64_t seed);

}  // namespace entente
