// Internals of `entente report` for the directory of `entente sweep`: the
// data the page embeds (engine/report/report_sweep.cpp, shown by view_sweep.js).
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace entente::report_detail {

// What the sweep report computes its indices with: exactly what `entente
// analyze DIR` does without options (the design's default method, 1000
// bootstrap resamples, seed 0), so the page equals sensitivity_<method>.csv.
inline constexpr int sweep_report_bootstrap = 1000;
inline constexpr unsigned long long sweep_report_seed = 0;
// The most design points whose values the page embeds for its scatter plots
// and histograms: a larger design is thinned to every k-th point, k =
// ⌈points / this⌉, so the page stays a few MB whatever the design's size
// (the indices always use every point).
inline constexpr long sweep_report_max_points = 5000;

// The report data of a sweep directory (design.csv, results.csv,
// manifest.json): the sweep's header and provenance, its parameters (with
// their ranges or distributions when the manifest records them) and outputs,
// the sensitivity indices of every output with their intervals, and the
// per-point parameter values and mean outputs for the scatter plots.
// Throws InputError (FILE:LINE:COL) for a missing or malformed design.csv or
// results.csv, or a design the default method cannot analyse.
std::string sweep_report_data(const std::filesystem::path& dir,
                              const boost::json::object& manifest);

}  // namespace entente::report_detail
