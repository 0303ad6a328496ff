// The page `entente report` writes: one file with the data once, ECharts and
// the script inlined and nothing to fetch; text from the scenario cannot end
// a <script> early; bad directories are refused with FILE:LINE:COL and exit 2;
// the same directory gives the same bytes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "cli_support.hpp"
#include "entente/report/report.hpp"
#include "entente/run/output.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A small run of the golden two-actor scenario, with a description that tries
// to close the page's script.
fs::path small_run(const std::string& name) {
  const fs::path dir = fresh_dir(name) / "out";
  const Override o = parse_override(R"(scenario.description="</script><b>x</b> & <!-- y")");
  const LoadedScenario loaded = load_scenario("tests/data/golden/two_actors.toml", {&o, 1});
  run_to_directory(compile(loaded.scenario), {}, dir, {{"entente", "run"}, loaded.files});
  return dir;
}

std::string error_of(const fs::path& dir) {
  try {
    report_data_json(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReportPage, OneFileDataOnceNothingToFetch) {
  const fs::path dir = small_run("page");
  const std::string html = report_html(dir);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_EQ(count(html, "<script"), 3U);   // data, ECharts, the report
  EXPECT_EQ(count(html, "</script"), 3U);  // none inside the data or the scripts
  EXPECT_EQ(count(html, "\"format\":\"entente-report\""), 1U);
  EXPECT_EQ(count(html, "version=\"6.1.0\""), 1U);  // ECharts, inlined
  EXPECT_EQ(count(html, "Licensed to the Apache Software Foundation"), 1U);
  EXPECT_EQ(count(html, "ententeReport.start();"), 1U);
  EXPECT_EQ(count(html, "<script src"), 0U);
  EXPECT_EQ(count(html, "<link"), 0U);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("\\u003c/script>\\u003cb>x\\u003c/b> & \\u003c!-- y"), std::string::npos);
  // Between the data's tags is exactly report_data_json, which parses.
  const std::string open = "<script type=\"application/json\" id=\"entente-data\">";
  const auto begin = html.find(open) + open.size();
  const std::string data = html.substr(begin, html.find("</script>", begin) - begin);
  EXPECT_EQ(data, report_data_json(dir));
  EXPECT_EQ(boost::json::parse(data).at("scenario").at("description").as_string(),
            "</script><b>x</b> & <!-- y");
  EXPECT_EQ(report_html(dir), html);  // deterministic
}

TEST(ReportPage, KindOfDirectoryFromTheManifest) {
  const fs::path dir = fresh_dir("kind");
  std::ofstream(dir / "manifest.json") << R"({"kind":"sweep"})";
  EXPECT_EQ(output_kind(dir), OutputKind::sweep);
  // A sweep directory is read as one (tests/report/test_report_sweep.cpp): its files first.
  EXPECT_EQ(error_of(dir).rfind((dir / "design.csv").string() + ": error: ", 0), 0U)
      << error_of(dir);
  std::ofstream(dir / "manifest.json") << R"({"command":["entente","compare","a","b"]})";
  EXPECT_EQ(output_kind(dir), OutputKind::compare);
  // A compare directory is read as one (tests/report/test_report_compare.cpp): its inputs first.
  EXPECT_EQ(error_of(dir), (dir / "manifest.json").string() +
                               ": error: a compare manifest needs 'inputs': at least two "
                               "{scenario, source}");
  std::ofstream(dir / "manifest.json") << R"({"kind":"poll"})";
  EXPECT_EQ(error_of(dir), (dir / "manifest.json").string() +
                               ": error: unknown kind of output 'poll' (a report shows: run, "
                               "compare, sweep, calibration)");
  std::ofstream(dir / "manifest.json") << "{";
  EXPECT_EQ(error_of(dir).find((dir / "manifest.json").string() + ":1:1: error: not a JSON object"),
            0U);
  EXPECT_EQ(output_kind(small_run("kind-run")), OutputKind::run);
}

TEST(ReportPage, MissingOrMalformedFilesAreLocated) {
  const fs::path empty = fresh_dir("no-manifest");
  EXPECT_EQ(error_of(empty),
            (empty / "manifest.json").string() +
                ": error: no manifest.json: not an entente output directory (written by "
                "`entente run`)");
  EXPECT_EQ(error_of(empty / "nowhere"),
            (empty / "nowhere").string() +
                ": error: not a directory (expected an entente output directory)");

  const fs::path dir = small_run("malformed");
  std::string relations = slurp(dir / "relations.csv");
  const auto line3 = relations.find('\n', relations.find('\n') + 1) + 1;  // the second data row
  const auto value = relations.rfind(',', relations.find('\n', line3)) + 1;
  relations.replace(value, relations.find('\n', line3) - value, "0.4x");
  std::ofstream(dir / "relations.csv", std::ios::binary) << relations;
  const auto column = value - line3 + 1;
  EXPECT_EQ(error_of(dir), (dir / "relations.csv").string() + ":3:" + std::to_string(column) +
                               ": error: '0.4x' is not a number");

  std::ofstream(dir / "relations.csv", std::ios::binary) << relations.substr(0, line3);
  EXPECT_EQ(error_of(dir),
            (dir / "relations.csv").string() +
                ": error: 1 values, expected 16 (every run, step and series of the manifest)");
  fs::remove(dir / "relations.csv");
  EXPECT_EQ(error_of(dir), (dir / "relations.csv").string() + ": error: cannot read the file");
}

TEST(ReportPage, CommandWritesTheFileAndRefusesBadInput) {
  const fs::path dir = small_run("cli");
  const auto ok = cli("report '" + dir.string() + "'");
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("wrote " + (dir / "report.html").string() + " (", 0), 0U) << ok.out;
  EXPECT_EQ(slurp(dir / "report.html"), report_html(dir));

  const fs::path other = fresh_dir("cli-o") / "r.html";
  const auto quiet = cli("report '" + dir.string() + "' -o '" + other.string() + "' -q");
  EXPECT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "");
  EXPECT_TRUE(fs::exists(other));

  const fs::path missing = fresh_dir("cli-missing");
  const auto bad =
      cli("report '" + missing.string() + "' -o '" + (missing / "r.html").string() + "'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, (missing / "manifest.json").string() +
                         ": error: no manifest.json: not an entente output directory (written by "
                         "`entente run`)\n");
  EXPECT_FALSE(fs::exists(missing / "r.html"));  // nothing half-written
}

}  // namespace
}  // namespace entente
