// Internals of `entente report` for the directory of `entente calibrate`:
// the data the page embeds (engine/report/report_calibrate.cpp, shown by
// view_calibrate.js).
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace entente::report_detail {

// The report data of a calibration directory (fit.csv, profile.csv,
// manifest.json): the calibration's header and parameters (best value,
// interval, identified), every target with its simulated mean and band, and
// each parameter's profile. Throws InputError (FILE:LINE:COL) for a missing
// or malformed file.
std::string calibration_report_data(const std::filesystem::path& dir,
                                    const boost::json::object& manifest);

}  // namespace entente::report_detail
