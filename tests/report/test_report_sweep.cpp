// The data of a sweep directory's report: the indices it embeds equal what
// `entente analyze DIR` writes to sensitivity_<method>.csv (and, for Morris on
// a linear function, the coefficients); the header carries the sweep file,
// the resolved scenario, the parameters' ranges and the outputs' definitions;
// a missing or malformed file is refused with FILE:LINE:COL, exit 2 and
// nothing written.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <fstream>

#include "cli_support.hpp"
#include "entente/report/report.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/sweep/analyze.hpp"
#include "entente/sweep/design.hpp"
#include "entente/sweep/sweep.hpp"
#include "entente/util/diagnostics.hpp"
#include "util/csv.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

boost::json::object data_of(const fs::path& dir) {
  return boost::json::parse(report_data_json(dir)).as_object();
}

std::string error_of(const fs::path& dir) {
  try {
    report_data_json(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// The numbers of every row's "values" in the embedded indices, read from the
// text with std::from_chars (Boost.JSON 1.81 may round the last bit).
std::vector<std::vector<std::string>> index_cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  const auto begin = text.find("\"indices\":"), end = text.find("\"values\":{\"x\"");
  for (auto at = text.find("\"values\":[", begin); at < end;
       at = text.find("\"values\":[", at + 1)) {
    const auto open = at + 10, close = text.find(']', open);
    rows.push_back(split(text.substr(open, close - open)));
  }
  return rows;
}

// Every cell of sensitivity_<method>.csv equals the embedded number bit for
// bit (an empty cell: null), in the same ranked order.
void expect_indices_equal_csv(const std::string& text, const fs::path& csv_file) {
  const auto data = boost::json::parse(text).as_object();
  const auto cells_of = index_cells(text);
  std::size_t n = 0;
  const auto& analysis = data.at("analysis").as_object();
  std::ifstream in(csv_file);
  std::string line;
  ASSERT_TRUE(std::getline(in, line)) << csv_file;
  const auto header = split(line);
  const auto& columns = analysis.at("columns").as_array();
  ASSERT_EQ(header.size(), columns.size() + 3);
  for (std::size_t c = 0; c < columns.size(); ++c) EXPECT_EQ(columns[c].as_string(), header[c + 3]);
  std::size_t group = 0, row = 0, lines = 0;
  const auto& indices = analysis.at("indices").as_array();
  while (std::getline(in, line)) {
    const auto cells = split(line);
    ++lines;
    ASSERT_LT(group, indices.size());
    auto rows = &indices[group].at("rows").as_array();
    if (row == rows->size()) {
      ++group;
      row = 0;
      ASSERT_LT(group, indices.size());
      rows = &indices[group].at("rows").as_array();
    }
    EXPECT_EQ(indices[group].at("output").as_string(), cells[0]);
    const auto& r = (*rows)[row++].as_object();
    EXPECT_EQ(std::to_string(r.at("rank").as_int64()), cells[1]);
    EXPECT_EQ(r.at("parameter").as_string(), cells[2]);
    ASSERT_LT(n, cells_of.size());
    const auto& values = cells_of[n++];
    ASSERT_EQ(values.size() + 3, cells.size());
    for (std::size_t c = 0; c < values.size(); ++c) {
      const std::string& cell = cells[c + 3];
      if (cell.empty()) {
        EXPECT_EQ(values[c], "null") << line;
        continue;
      }
      double expected = 0, embedded = 0;
      std::from_chars(cell.data(), cell.data() + cell.size(), expected);
      const auto [end, ec] =
          std::from_chars(values[c].data(), values[c].data() + values[c].size(), embedded);
      EXPECT_TRUE(ec == std::errc() && end == values[c].data() + values[c].size()) << values[c];
      EXPECT_EQ(embedded, expected) << header[c + 3] << " in " << line;
    }
  }
  EXPECT_EQ(group + 1, indices.size());
  EXPECT_EQ(n, cells_of.size());
  EXPECT_GT(lines, 0U);
}

ParameterSpec range(const std::string& path, double lo, double hi) {
  ParameterSpec p;
  p.path = path;
  p.lo = lo;
  p.hi = hi;
  return p;
}

// A Morris design of y = 2a − 3b + 0.5c (one replicate per point), with a
// manifest as `entente sweep` writes it.
fs::path linear_morris(const std::string& name) {
  const fs::path dir = fresh_dir(name);
  DesignSpec spec;
  spec.kind = DesignSpec::Kind::morris;
  spec.trajectories = 6;
  spec.levels = 4;
  const Design d = make_design(spec, {range("a", 0, 1), range("b", -2, 2), range("c", 10, 20)}, 3);
  std::string design = "point,seed,a,b,c\n", results = "point,replicate,seed,a,b,c,y\n";
  for (int i = 0; i < d.points(); ++i) {
    const auto& x = d.values[static_cast<std::size_t>(i)];
    std::string cells;
    for (double v : x) cells += "," + detail::format_double(v);
    design += std::to_string(i) + ",7" + cells + "\n";
    results += std::to_string(i) + ",0,9" + cells + "," +
               detail::format_double(2.0 * x[0] - 3.0 * x[1] + 0.5 * x[2]) + "\n";
  }
  std::ofstream(dir / "design.csv") << design;
  std::ofstream(dir / "results.csv") << results;
  std::ofstream(dir / "manifest.json")
      << R"({"engine":"entente","version":"0","kind":"sweep","sweep":"linear","scenario":"none",)"
      << R"("design":"morris","saltelli":false,"points":)" << d.points() << R"(,"runs":1,"seed":3,)"
      << R"("parameter_specs":[{"path":"a","range":[0,1],"scale":"linear"},)"
      << R"({"path":"b","range":[-2,2],"scale":"linear"},{"path":"c","range":[10,20],"scale":"log"}],)"
      << R"("outputs":[{"name":"y","reducer":"final","of":"2a - 3b + c/2"}]})";
  return dir;
}

TEST(ReportSweep, MorrisOfALinearFunctionIsItsCoefficientsAndEqualsAnalyze) {
  const fs::path dir = linear_morris("report-sweep-linear");
  const auto data = data_of(dir);
  EXPECT_EQ(data.at("kind").as_string(), "sweep");
  EXPECT_EQ(data.at("title").as_string(), "linear");
  const auto& a = data.at("analysis").as_object();
  EXPECT_EQ(a.at("method").as_string(), "morris");
  EXPECT_EQ(a.at("bootstrap").as_int64(), 1000);
  // Ranked by scaled μ*: b (3 × 4), c (0.5 × 10), a (2 × 1); μ is the coefficient.
  const auto& rows = a.at("indices").as_array()[0].at("rows").as_array();
  ASSERT_EQ(rows.size(), 3U);
  const std::vector<std::pair<std::string, double>> expected = {{"b", -3}, {"c", 0.5}, {"a", 2}};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(rows[k].at("parameter").as_string(), expected[k].first);
    const auto& v = rows[k].at("values").as_array();
    EXPECT_NEAR(v[0].to_number<double>(), expected[k].second, 1e-12);  // mu
    EXPECT_NEAR(v[2].to_number<double>(), 0.0, 1e-12);                 // sigma
  }
  // The parameters: their spec from the manifest and their span in the design.
  const auto& p = data.at("parameters").as_array();
  ASSERT_EQ(p.size(), 3U);
  EXPECT_EQ(p[2].at("path").as_string(), "c");
  EXPECT_EQ(p[2].at("min").to_number<double>(), 10.0);
  EXPECT_EQ(p[2].at("max").to_number<double>(), 20.0);
  EXPECT_EQ(p[2].at("spec").at("scale").as_string(), "log");
  EXPECT_FALSE(p[2].at("categorical").as_bool());
  EXPECT_EQ(data.at("outputs").as_array()[0].at("of").as_string(), "2a - 3b + c/2");
  // Per point: the values the analysis saw.
  const auto& y = data.at("values").at("y").as_array()[0].as_array();
  const auto& x0 = data.at("values").at("x").as_array()[0].as_array();
  EXPECT_EQ(y.size(), 24U);
  EXPECT_EQ(x0.size(), 24U);
  // The page equals `entente analyze DIR`, number for number.
  const auto r = cli("analyze '" + dir.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  expect_indices_equal_csv(report_data_json(dir), dir / "sensitivity_morris.csv");
  fs::remove_all(dir);
}

// A design larger than the page embeds: every k-th point for the scatter
// plots, k = ⌈points / 5000⌉, and the indices still from every point.
TEST(ReportSweep, ALargeDesignIsThinnedForThePlotsOnly) {
  const fs::path dir = fresh_dir("report-sweep-large");
  constexpr int kPoints = 12001;  // every 3rd point: 0, 3, …, 12000
  std::string design = "point,a,b\n", results = "point,y\n";
  for (int i = 0; i < kPoints; ++i) {
    const double a = (i % 101) / 100.0, b = (i % 37) / 36.0;
    design +=
        std::to_string(i) + "," + detail::format_double(a) + "," + detail::format_double(b) + "\n";
    results += std::to_string(i) + "," + detail::format_double(3.0 * a + b) + "\n";
  }
  std::ofstream(dir / "design.csv") << design;
  std::ofstream(dir / "results.csv") << results;
  std::ofstream(dir / "manifest.json")
      << R"({"engine":"entente","version":"0","kind":"sweep","sweep":"large","scenario":"none",)"
      << R"("design":"random","saltelli":false,"points":12001,"runs":1,"seed":3})";
  const auto data = data_of(dir);
  const auto& values = data.at("values").as_object();
  EXPECT_EQ(values.at("every").as_int64(), 3);
  EXPECT_EQ(values.at("of").as_int64(), kPoints);
  const auto& a = values.at("x").as_array()[0].as_array();
  ASSERT_EQ(a.size(), 4001U);
  EXPECT_EQ(a[1].to_number<double>(), 0.03);     // point 3
  EXPECT_EQ(a[4000].to_number<double>(), 0.82);  // point 12000: 12000 % 101 = 82
  EXPECT_EQ(values.at("y").as_array()[0].as_array().size(), 4001U);
  const auto r = cli("analyze '" + dir.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  expect_indices_equal_csv(report_data_json(dir), dir / "sensitivity_regression.csv");
  fs::remove_all(dir);
}

// A real sweep (tests/data/sweeps/small.toml: LHS, so regression) run through
// the library: the header is the sweep's record.
TEST(ReportSweep, RealSweepHeaderAndIndicesEqualAnalyze) {
  const fs::path dir = fresh_dir("report-sweep-real") / "out";
  const fs::path file = "tests/data/sweeps/small.toml";
  const Sweep sw = load_sweep(file);
  SweepSettings settings;
  settings.threads = 2;
  settings.command_line = {"entente", "sweep", file.string()};
  run_sweep(sw, dir, settings);
  EXPECT_EQ(output_kind(dir), OutputKind::sweep);
  const auto data = data_of(dir);
  const auto& s = data.at("sweep").as_object();
  EXPECT_EQ(s.at("name").as_string(), "small");
  EXPECT_EQ(s.at("design").as_string(), "lhs");
  EXPECT_EQ(s.at("points").as_int64(), 20);
  EXPECT_EQ(s.at("runs").as_int64(), 3);
  EXPECT_EQ(s.at("seed").as_int64(), 11);
  EXPECT_EQ(s.at("text").as_string(), slurp(file));  // the sweep file, as read
  const auto& scenario = data.at("scenario").as_object();
  EXPECT_EQ(scenario.at("name").as_string(), sw.scenario.base().scenario.name);
  EXPECT_EQ(scenario.at("text").as_string(), to_toml(sw.scenario.base().scenario));
  EXPECT_EQ(scenario.at("description").as_string(), sw.scenario.base().scenario.description);
  // The texts are embedded once: not again inside the manifest.
  EXPECT_FALSE(data.at("manifest").as_object().contains("sweep_text"));
  EXPECT_FALSE(data.at("manifest").as_object().contains("base_scenario"));
  EXPECT_EQ(data.at("manifest").at("command").as_array()[1].as_string(), "sweep");
  // Parameters in the sweep file's terms; a categorical one with its labels
  // in the order of the analysis's coding (first appearance in design.csv).
  const auto& p = data.at("parameters").as_array();
  ASSERT_EQ(p.size(), 3U);
  EXPECT_NE(report_data_json(dir).find(
                R"("spec":{"path":"model.balance","range":[0,0.2],"scale":"linear"})"),
            std::string::npos);
  EXPECT_EQ(p[1].at("spec").at("distribution").as_string(), "triangular");
  EXPECT_EQ(p[1].at("spec").at("mode").to_number<double>(), 0.1);
  EXPECT_TRUE(p[2].at("categorical").as_bool());
  const std::string design = slurp(dir / "design.csv");
  const auto first_row = design.substr(design.find('\n') + 1);
  const std::string first_label = split(first_row.substr(0, first_row.find('\n')))[4];
  EXPECT_EQ(p[2].at("labels").as_array()[0].as_string(), first_label);
  EXPECT_EQ(p[2].at("labels").as_array().size(), 2U);
  const auto& outputs = data.at("outputs").as_array();
  ASSERT_EQ(outputs.size(), 5U);
  EXPECT_EQ(outputs[3].at("name").as_string(), "rupture");
  EXPECT_EQ(outputs[3].at("reducer").as_string(), "first_step_when");
  EXPECT_EQ(outputs[3].at("of").as_string(), "affinity(RUS,ARM) < 0.2");
  EXPECT_EQ(data.at("analysis").at("method").as_string(), "regression");
  const auto r = cli("analyze '" + dir.string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  expect_indices_equal_csv(report_data_json(dir), dir / "sensitivity_regression.csv");
  // The page: titled by the sweep, deterministic.
  const std::string html = report_html(dir);
  EXPECT_NE(html.find("<title>small · entente report</title>"), std::string::npos);
  EXPECT_EQ(report_html(dir), html);
  fs::remove_all(dir.parent_path());
}

TEST(ReportSweep, KindFromTheManifest) {
  const fs::path dir = fresh_dir("report-sweep-kind");
  // `entente merge` of shards written before manifests carried "kind".
  std::ofstream(dir / "manifest.json") << R"({"command":["entente","merge","a","b"]})";
  EXPECT_EQ(output_kind(dir), OutputKind::sweep);
  std::ofstream(dir / "manifest.json") << R"({"kind":"sweep","command":["entente","merge"]})";
  EXPECT_EQ(output_kind(dir), OutputKind::sweep);
  std::ofstream(dir / "manifest.json") << R"({"command":["entente","sweep","x.toml"]})";
  EXPECT_EQ(output_kind(dir), OutputKind::sweep);
  fs::remove_all(dir);
}

TEST(ReportSweep, MissingOrMalformedFilesAreLocatedAndNothingIsWritten) {
  const fs::path dir = linear_morris("report-sweep-bad");
  std::string results = slurp(dir / "results.csv");
  const auto line3 = results.find('\n', results.find('\n') + 1) + 1;  // the second data row
  const auto value = results.rfind(',', results.find('\n', line3)) + 1;
  results.replace(value, results.find('\n', line3) - value, "0.4x");
  std::ofstream(dir / "results.csv", std::ios::binary) << results;
  const std::string at =
      (dir / "results.csv").string() + ":3:" + std::to_string(value - line3 + 1) + ": error: ";
  EXPECT_EQ(error_of(dir), at + "output 'y' must be a number (got '0.4x')");
  const auto bad = cli("report '" + dir.string() + "'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, at + "output 'y' must be a number (got '0.4x')\n");
  EXPECT_FALSE(fs::exists(dir / "report.html"));  // nothing half-written

  fs::remove(dir / "results.csv");
  const auto missing = cli("report '" + dir.string() + "'");
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err.rfind((dir / "results.csv").string() + ": error: ", 0), 0U) << missing.err;
  EXPECT_FALSE(fs::exists(dir / "report.html"));

  // A design the default method cannot analyse: Morris needs trajectories.
  std::ofstream(dir / "results.csv") << "point,y\n0,1\n1,2\n";
  std::ofstream(dir / "design.csv") << "point,a,b\n0,0,0\n1,1,1\n";
  EXPECT_NE(error_of(dir).find("morris"), std::string::npos) << error_of(dir);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace entente
