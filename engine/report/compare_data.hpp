// Internals of `entente report` for the directory of `entente compare`: the
// data the page embeds (engine/report/report_compare.cpp, shown by view_compare.js).
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "report/json_writer.hpp"
#include "util/csv_reader.hpp"

namespace entente::report_detail {

// The report data of a compare directory (compare.csv, compare_shares.csv,
// manifest.json): every input's name, source, description and scenario text
// (when the manifest records them), the seed, runs, steps and dates, and for
// every input against the first the paired differences of every numeric
// observable at every step (the columns of compare.csv, each an array over
// steps) and the shares of every categorical one (compare_shares.csv).
// Numbers are the files' values in their shortest round-trip form. Throws
// InputError naming the manifest when it lacks inputs, seed, runs or steps,
// and FILE:LINE:COL when a CSV file is missing, malformed, names an unknown
// input, repeats a row or lacks one.
std::string compare_report_data(const std::filesystem::path& dir,
                                const boost::json::object& manifest);

// Parts of it. The input (0 for the second) a row of a compare CSV file
// belongs to, by its `scenario` field: the first input so named whose row is
// not taken yet (`taken[k * stride + offset]`), since rows come in the
// inputs' order and two inputs may share a name. Throws InputError at the
// field for an unknown name or a repeated row.
std::size_t compare_input_of(const std::vector<std::string>& others, const detail::CsvReader& r,
                             int column, const std::vector<char>& taken, std::size_t stride,
                             std::size_t offset);

// Writes `"shares"` from compare_shares.csv (engine/report/report_compare_shares.cpp):
// per categorical observable `{observable, values, base, share, change}` with
// `base[c][t]` and `share[k][c][t]`, `change[k][c][t]` for each input k after
// the first. Throws InputError (FILE:LINE:COL) for a missing or malformed file.
void write_compare_shares(JsonWriter& w, const std::filesystem::path& file, int steps,
                          const std::vector<std::string>& others);

}  // namespace entente::report_detail
