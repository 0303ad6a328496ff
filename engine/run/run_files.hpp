// The files of a directory written by `entente run` (MODEL.md §6): their
// names and which exist for which format. The writer (output.cpp) and every
// reader (compare_io.cpp, report_run.cpp) go through this one description.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "entente/scenario/scenario.hpp"

namespace entente::detail::run_files {

inline constexpr std::string_view actors = "actors.csv";
inline constexpr std::string_view relations = "relations.csv";
inline constexpr std::string_view issues = "issues.csv";
inline constexpr std::string_view trajectories = "trajectories.nc";
inline constexpr std::string_view events = "events.csv";
inline constexpr std::string_view summary = "summary.csv";
inline constexpr std::string_view shares = "shares.csv";
inline constexpr std::string_view drivers = "drivers.csv";
inline constexpr std::string_view position_drivers = "position_drivers.csv";
inline constexpr std::string_view manifest = "manifest.json";

// The trajectory files of a format: actors, relations, issues as CSV, or
// trajectories.nc.
inline std::vector<std::string_view> trajectory_files(OutputSpec::Format format) {
  if (format == OutputSpec::Format::netcdf) return {trajectories};
  return {actors, relations, issues};
}

// Every file of a run directory, in the order they are written (manifest
// last).
inline std::vector<std::string_view> all(OutputSpec::Format format, bool with_drivers) {
  std::vector<std::string_view> out = trajectory_files(format);
  out.push_back(events);
  if (with_drivers) {
    out.push_back(drivers);
    out.push_back(position_drivers);
  }
  out.push_back(summary);
  out.push_back(shares);
  out.push_back(manifest);
  return out;
}

inline const char* format_name(OutputSpec::Format format) {
  return format == OutputSpec::Format::netcdf ? "netcdf" : "csv";
}

// The format a run directory says it has in its manifest ("format"); a
// manifest without it is from before v1.1, when every run wrote CSV.
inline OutputSpec::Format format_of(const boost::json::object& manifest) {
  const auto* f = manifest.if_contains("format");
  if (f != nullptr && f->is_string() && f->as_string() == "netcdf")
    return OutputSpec::Format::netcdf;
  return OutputSpec::Format::csv;
}

}  // namespace entente::detail::run_files
