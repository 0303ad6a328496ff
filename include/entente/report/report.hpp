// `entente report`: one self-contained HTML page that shows an output
// directory — fan charts, the affinity heatmap and network at any step, bloc
// timelines, issue regimes and drivers — for a workshop or a classroom. The
// page embeds its data once as JSON, the charting library (Apache ECharts)
// and its own script, and fetches nothing. docs/report.md describes the page
// and the data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace entente {

// The kinds of output directory a report can show, told apart by their
// manifest.json: a `"kind"` member when there is one, otherwise the
// subcommand that wrote it (`"command"[1]`), otherwise `run` when the
// manifest holds a `resolved_scenario`.
enum class OutputKind { run, compare, sweep, calibration };
std::string_view to_string(OutputKind kind);

// The kind of the output directory `dir`. Throws InputError (file:
// DIR/manifest.json) when there is no manifest, it is not JSON, or it is not
// one of entente's outputs.
OutputKind output_kind(const std::filesystem::path& dir);

// The data the page embeds, as JSON text (format in docs/report.md). For a
// run: the scenario and its provenance, the ensemble statistics of every
// position and relation per step, bloc and regime shares, events and drivers;
// for a compare: the paired differences with their intervals and the shares
// of categories, per branch and step; for a sweep: the design, the per-point
// outputs and the sensitivity indices `entente analyze` computes by default.
// Numbers are in the shortest form that reads back to the same double, so the
// page shows the values of the CSV files. Throws InputError naming
// FILE:LINE:COL when a file is missing or malformed.
std::string report_data_json(const std::filesystem::path& dir);

// The whole page: the template with the style, ECharts, the report's script
// and report_data_json(dir) inlined. Throws as report_data_json.
std::string report_html(const std::filesystem::path& dir);

// `DIR/report.html`: where `entente report DIR` writes without `-o`.
std::filesystem::path default_report_path(const std::filesystem::path& dir);

// Writes report_html(dir) to `file`, whole or not at all (AtomicFile), and
// returns its size in bytes. Throws as report_data_json, and
// std::runtime_error when the file cannot be written.
std::uintmax_t write_report(const std::filesystem::path& dir, const std::filesystem::path& file);

}  // namespace entente
