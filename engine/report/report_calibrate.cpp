// `entente report` of a calibration directory: fit.csv and profile.csv as
// JSON for view_calibrate.js.
#include "report/calibrate_data.hpp"
#include "util/csv_reader.hpp"

namespace entente::report_detail {

std::string calibration_report_data(const std::filesystem::path& dir,
                                    const boost::json::object& manifest) {
  boost::json::object out;
  out["kind"] = "calibration";
  out["manifest"] = manifest;
  boost::json::array fit;
  {
    detail::CsvReader r(dir / "fit.csv");
    const int obs = r.column("observable"), step = r.column("step"), value = r.column("value"),
              sd = r.column("sd"), mean = r.column("mean"), p05 = r.column("p05"),
              p95 = r.column("p95"), residual = r.column("residual");
    const int date = r.find_column("date");
    while (r.next()) {
      boost::json::object row{{"observable", std::string(r.field(obs))},
                              {"step", r.integer(step, 0, 1000000000)},
                              {"value", r.number(value)},
                              {"sd", r.number(sd)},
                              {"mean", r.number(mean)},
                              {"p05", r.number(p05)},
                              {"p95", r.number(p95)},
                              {"residual", r.number(residual)}};
      if (date >= 0) row["date"] = std::string(r.field(date));
      fit.push_back(std::move(row));
    }
  }
  out["fit"] = std::move(fit);
  boost::json::array profile;
  {
    detail::CsvReader r(dir / "profile.csv");
    const int param = r.column("parameter"), value = r.column("value"), loss = r.column("loss"),
              delta = r.column("delta_loss");
    while (r.next()) {
      profile.push_back(boost::json::object{{"parameter", std::string(r.field(param))},
                                            {"value", r.number(value)},
                                            {"loss", r.number(loss)},
                                            {"delta", r.number(delta)}});
    }
  }
  out["profile"] = std::move(profile);
  // '<' occurs only inside strings: escaped, no "</script>" can end the page's script.
  std::string text = boost::json::serialize(out);
  std::string safe;
  safe.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      safe += "\\u003c";
    } else {
      safe += c;
    }
  }
  return safe;
}

}  // namespace entente::report_detail
