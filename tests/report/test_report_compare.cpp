// The report of an `entente compare` directory: the data it embeds equals
// compare.csv and compare_shares.csv character for character (Boost.JSON 1.81
// parses doubles only approximately, so the numbers are compared as text),
// the header holds every input with its scenario text, and a missing or
// malformed file is refused with FILE:LINE:COL, exit 2 and nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <tuple>

#include "cli_support.hpp"
#include "entente/report/report.hpp"
#include "entente/scenario/scenario_io.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::cli;
using testing::fresh_dir;
using testing::slurp;

using testing::read_csv;

// The baseline against CSTO exit and a third-party corridor (which changes a
// regime), 6 paired runs, made once.
const fs::path& compared() {
  static const fs::path dir = [] {
    const fs::path d = fresh_dir("report-compare") / "cmp";
    const auto r =
        cli("compare scenarios/baseline.toml scenarios/csto/exit.toml "
            "scenarios/corridor/third_party.toml --runs 6 --threads 2 -o '" +
            d.string() + "'");
    EXPECT_EQ(r.status, 0) << r.err;
    return d;
  }();
  return dir;
}

std::string quoted(const std::string& s) {
  return json::serialize(json::value(s));
}

std::string array(const std::vector<std::string>& cells) {
  std::string out = "[";
  for (const auto& c : cells) out += (out.size() > 1 ? "," : "") + c;
  return out + "]";
}

// `"observables":[…],"differences":[…]` as compare.csv's cells give them:
// per input after the first, per observable, each column over the steps.
std::string differences_from_csv(const fs::path& file, const std::vector<std::string>& others) {
  const auto rows = read_csv(file);
  const auto& h = rows[0];
  EXPECT_EQ(array(h),
            "[step,date,observable,scenario,base_mean,mean,difference,sd,ci05,ci95,p05,"
            "p95,p_positive]");
  std::vector<std::string> names;
  std::map<std::pair<std::string, std::string>, std::vector<std::vector<std::string>>> cells;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (std::find(names.begin(), names.end(), r[2]) == names.end()) names.push_back(r[2]);
    auto& c = cells[{r[3], r[2]}];
    c.resize(9);
    EXPECT_EQ(std::to_string(c[0].size()), r[0]) << "rows in step order";
    for (std::size_t k = 0; k < 9; ++k) c[k].push_back(r[4 + k]);
  }
  std::vector<std::string> quoted_names, per_input;
  for (const auto& n : names) quoted_names.push_back(quoted(n));
  for (const auto& scenario : others) {
    std::vector<std::string> objects;
    for (const auto& n : names) {
      const auto& c = cells.at({scenario, n});
      std::string o = "{";
      for (std::size_t k = 0; k < 9; ++k)
        o += (k > 0 ? ",\"" : "\"") + h[4 + k] + "\":" + array(c[k]);
      objects.push_back(o + "}");
    }
    per_input.push_back(array(objects));
  }
  return "\"observables\":" + array(quoted_names) + ",\"differences\":" + array(per_input);
}

// `"shares":[…]` as compare_shares.csv's cells give them.
std::string shares_from_csv(const fs::path& file, const std::vector<std::string>& others) {
  const auto rows = read_csv(file);
  EXPECT_EQ(array(rows[0]), "[step,date,observable,value,scenario,base_share,share,change]");
  std::vector<std::string> observables;
  std::map<std::string, std::vector<std::string>> values;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> base, share,
      change;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (values.find(r[2]) == values.end()) observables.push_back(r[2]);
    auto& v = values[r[2]];
    if (std::find(v.begin(), v.end(), r[3]) == v.end()) v.push_back(r[3]);
    if (r[4] == others[0]) base[{r[2], r[3], ""}].push_back(r[5]);
    share[{r[2], r[3], r[4]}].push_back(r[6]);
    change[{r[2], r[3], r[4]}].push_back(r[7]);
  }
  std::vector<std::string> objects;
  for (const auto& o : observables) {
    std::vector<std::string> names, b, s, c;
    for (const auto& v : values[o]) {
      names.push_back(quoted(v));
      b.push_back(array(base[{o, v, ""}]));
    }
    for (const auto& k : others) {
      std::vector<std::string> sk, ck;
      for (const auto& v : values[o]) {
        sk.push_back(array(share[{o, v, k}]));
        ck.push_back(array(change[{o, v, k}]));
      }
      s.push_back(array(sk));
      c.push_back(array(ck));
    }
    objects.push_back("{\"observable\":" + quoted(o) + ",\"values\":" + array(names) +
                      ",\"base\":" + array(b) + ",\"share\":" + array(s) +
                      ",\"change\":" + array(c) + "}");
  }
  return "\"shares\":" + array(objects);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportCompare, DifferencesEqualCompareCsvCharacterForCharacter) {
  const std::string text = report_data_json(compared());
  const std::string expected =
      differences_from_csv(compared() / "compare.csv", {"CSTO exit", "Corridor third party"});
  EXPECT_GT(expected.size(), 100000U);
  EXPECT_EQ(count(text, expected + ","), 1U);
  const auto data = json::parse(text).as_object();
  const auto& differences = data.at("differences").as_array();
  ASSERT_EQ(differences.size(), 2U);
  EXPECT_EQ(differences[0].as_array().size(), data.at("observables").as_array().size());
  EXPECT_EQ(differences[1].as_array()[0].at("ci95").as_array().size(), 37U);
}

// "What moved", per branch: the relations and positions whose mean paired
// difference changed most from step 0 to step 36, recomputed from compare.csv
// (largest |change| first, ties in the file's order, unchanged ones left out).
TEST(ReportCompare, WhatMovedRecomputedFromCompareCsv) {
  const auto rows = read_csv(compared() / "compare.csv");
  const auto& h = rows[0];
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin());
  };
  const std::size_t step = col("step"), observable = col("observable"), scenario = col("scenario"),
                    base = col("base_mean"), mean = col("mean"), difference = col("difference"),
                    p05 = col("p05"), p95 = col("p95");
  const auto data = json::parse(report_data_json(compared())).as_object();
  const auto& moved = data.at("moved").as_array();
  ASSERT_EQ(moved.size(), 2U);
  const std::vector<std::string> branches = {"CSTO exit", "Corridor third party"};
  for (std::size_t k = 0; k < branches.size(); ++k) {
    struct Row {
      std::string name;
      std::vector<double> start, end;  // base_mean, mean, difference, p05, p95
    };
    std::vector<Row> all;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const auto& x = rows[r];
      if (x[scenario] != branches[k]) continue;
      const int t = std::stoi(x[step]);
      if (t != 0 && t != 36) continue;
      auto it = std::find_if(all.begin(), all.end(),
                             [&](const Row& y) { return y.name == x[observable]; });
      if (it == all.end()) it = all.insert(all.end(), Row{x[observable], {}, {}});
      (t == 0 ? it->start : it->end) = {std::stod(x[base]), std::stod(x[mean]),
                                        std::stod(x[difference]), std::stod(x[p05]),
                                        std::stod(x[p95])};
    }
    for (const auto& [key, kind, top] : {std::tuple{"relations", "affinity(", std::size_t{5}},
                                         std::tuple{"positions", "position(", std::size_t{3}}}) {
      std::vector<Row> list;
      for (const Row& x : all) {
        if (x.name.starts_with(kind) && x.end[2] != x.start[2]) list.push_back(x);
      }
      std::stable_sort(list.begin(), list.end(), [](const Row& x, const Row& y) {
        return std::abs(x.end[2] - x.start[2]) > std::abs(y.end[2] - y.start[2]);
      });
      if (list.size() > top) list.resize(top);
      const auto& shown = moved[k].at(key).as_array();
      ASSERT_EQ(shown.size(), list.size()) << branches[k] << " " << key;
      EXPECT_GE(shown.size(), 1U) << branches[k] << " " << key;
      for (std::size_t n = 0; n < list.size(); ++n) {
        const auto& m = shown[n].as_object();
        const auto at = [&](const char* field, std::size_t q) {
          return m.at(field).as_array()[q].to_number<double>();
        };
        EXPECT_EQ(m.at("name").as_string(), list[n].name) << branches[k] << " " << n;
        EXPECT_NEAR(m.at("change").to_number<double>(), list[n].end[2] - list[n].start[2], 1e-12);
        EXPECT_NEAR(at("base", 0), list[n].start[0], 1e-12);
        EXPECT_NEAR(at("base", 1), list[n].end[0], 1e-12);
        EXPECT_NEAR(at("other", 1), list[n].end[1], 1e-12);
        EXPECT_NEAR(at("difference", 1), list[n].end[2], 1e-12);
        EXPECT_NEAR(at("band", 0), list[n].end[3], 1e-12);
        EXPECT_NEAR(at("band", 1), list[n].end[4], 1e-12);
      }
    }
  }
}

TEST(ReportCompare, SharesEqualCompareSharesCsvCharacterForCharacter) {
  const std::string text = report_data_json(compared());
  const std::string expected =
      shares_from_csv(compared() / "compare_shares.csv", {"CSTO exit", "Corridor third party"});
  EXPECT_EQ(count(text, expected + "}"), 1U);
  // The corridor's regime: closed in every run of the base, third_party in the branch.
  const auto data = json::parse(text).as_object();
  for (const auto& s : data.at("shares").as_array()) {
    if (s.at("observable") != "regime(corridor)") continue;
    const auto& values = s.at("values").as_array();
    const auto third = static_cast<std::size_t>(
        std::find(values.begin(), values.end(), json::value("third_party")) - values.begin());
    ASSERT_LT(third, values.size());
    EXPECT_EQ(s.at("base").as_array()[third].as_array()[36], 0);
    EXPECT_EQ(s.at("share").as_array()[1].as_array()[third].as_array()[36], 1);
    EXPECT_EQ(s.at("change").as_array()[0].as_array()[third].as_array()[36], 0);
    return;
  }
  ADD_FAILURE() << "no regime(corridor) in the shares";
}

TEST(ReportCompare, HeaderHoldsEveryInputAndItsScenario) {
  const auto data = json::parse(report_data_json(compared())).as_object();
  const auto manifest = json::parse(slurp(compared() / "manifest.json")).as_object();
  EXPECT_EQ(data.at("kind"), "compare");
  EXPECT_EQ(data.at("title"), "Baseline vs CSTO exit, Corridor third party");
  EXPECT_EQ(data.at("generator").at("version"), ENTENTE_VERSION);
  EXPECT_EQ(data.at("steps"), 36);
  EXPECT_EQ(data.at("runs"), 6);
  EXPECT_EQ(data.at("dates").as_array().front(), "2025-04");
  EXPECT_EQ(data.at("dates").as_array().back(), "2028-04");
  const auto& m = data.at("manifest").as_object();
  EXPECT_EQ(m.at("seed"), manifest.at("seed"));
  EXPECT_EQ(m.at("command"), manifest.at("command"));
  EXPECT_EQ(m.at("step_unit"), "month");
  EXPECT_EQ(m.at("start"), "2025-04");
  EXPECT_FALSE(m.contains("inputs"));  // they follow, with their texts, once
  const auto& inputs = data.at("inputs").as_array();
  ASSERT_EQ(inputs.size(), 3U);
  const char* sources[] = {"scenarios/baseline.toml", "scenarios/csto/exit.toml",
                           "scenarios/corridor/third_party.toml"};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& in = inputs[k].as_object();
    const auto& recorded = manifest.at("inputs").as_array()[k].as_object();
    EXPECT_EQ(in.at("source"), sources[k]);
    EXPECT_EQ(in.at("name"), recorded.at("scenario"));
    EXPECT_EQ(in.at("text"), recorded.at("resolved_scenario"));
    // The text is the scenario as compared: its own name and the compare's runs.
    const Scenario s = load_scenario_text(std::string(in.at("text").as_string()), "text").scenario;
    EXPECT_EQ(s.name, in.at("name").as_string());
    EXPECT_EQ(s.description, in.at("description").as_string());
    EXPECT_EQ(s.runs, 6);
  }
  EXPECT_EQ(inputs[1].at("description"),
            "Armenia leaves the CSTO in July 2026; Russian trade pressure, an EU gesture");
  const std::string html = report_html(compared());
  EXPECT_NE(
      html.find("<title>Baseline vs CSTO exit, Corridor third party · entente report</title>"),
      std::string::npos);
  EXPECT_NE(html.find("API.views.compare = function"), std::string::npos);
}

TEST(ReportCompare, InputsThatShareANameKeepTheirOwnRows) {
  const fs::path dir = fresh_dir("report-compare-twice") / "cmp";
  ASSERT_EQ(cli("compare scenarios/baseline.toml scenarios/csto/exit.toml scenarios/csto/exit.toml "
                "--runs 3 -o '" +
                dir.string() + "'")
                .status,
            0);
  const auto data = json::parse(report_data_json(dir)).as_object();
  const auto& d = data.at("differences").as_array();
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(json::serialize(d[0]), json::serialize(d[1]));
  // A third row of the same name is one too many.
  std::string csv = slurp(dir / "compare.csv");
  const auto second = csv.find('\n', csv.find('\n') + 1) + 1;  // the second data row
  const std::string row = csv.substr(second, csv.find('\n', second) + 1 - second);
  csv.insert(second, row);
  std::ofstream(dir / "compare.csv", std::ios::binary) << csv;
  const auto r = cli("report '" + dir.string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, (dir / "compare.csv").string() +
                       ":4:" + std::to_string(row.find(",CSTO exit,") + 2) +
                       ": error: a second row for this scenario, observable and step\n");
}

// A copy of the compared directory with `edit` applied to one file.
fs::path broken(const std::string& name, const std::string& file,
                const std::function<void(std::string&)>& edit) {
  const fs::path dir = fresh_dir("report-compare-" + name) / "cmp";
  fs::copy(compared(), dir);
  fs::remove(dir / "report.html");
  std::string text = slurp(dir / file);
  edit(text);
  std::ofstream(dir / file, std::ios::binary | std::ios::trunc) << text;
  return dir;
}

// `entente report DIR -o FILE` fails with exit 2, prints `message` and writes nothing.
void refused(const fs::path& dir, const std::string& message) {
  const fs::path out = dir.parent_path() / "out.html";
  const auto r = cli("report '" + dir.string() + "' -o '" + out.string() + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, message + "\n");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(dir / "report.html"));
}

TEST(ReportCompare, MissingOrMalformedFilesAreLocated) {
  {
    const fs::path dir = broken("missing", "compare.csv", [](std::string&) {});
    fs::remove(dir / "compare.csv");
    refused(dir, (dir / "compare.csv").string() + ": error: cannot read the file");
  }
  {
    const fs::path dir = broken("missing-shares", "compare_shares.csv", [](std::string&) {});
    fs::remove(dir / "compare_shares.csv");
    refused(dir, (dir / "compare_shares.csv").string() + ": error: cannot read the file");
  }
  std::size_t column = 0;
  const fs::path number = broken("number", "compare.csv", [&](std::string& csv) {
    const auto line3 = csv.find('\n', csv.find('\n') + 1) + 1;
    const auto sd = csv.find(",0,0,0,0,0,", line3) + 3;  // after the difference: sd
    csv.replace(sd, 1, "0.4x");
    column = sd - line3 + 1;
  });
  refused(number, (number / "compare.csv").string() + ":3:" + std::to_string(column) +
                      ": error: '0.4x' is not a number");
  const fs::path unknown = broken("unknown", "compare.csv", [&](std::string& csv) {
    const auto at = csv.find(",CSTO exit,");
    column = at - csv.rfind('\n', at) + 1;
    csv.replace(at, 11, ",CSTO exist,");
  });
  refused(unknown, (unknown / "compare.csv").string() + ":2:" + std::to_string(column) +
                       ": error: unknown scenario 'CSTO exist' (the manifest's inputs after the "
                       "first: CSTO exit, Corridor third party)");
  const fs::path header = broken(
      "header", "compare.csv", [](std::string& csv) { csv.replace(csv.find("ci95"), 4, "ci99"); });
  refused(header,
          (header / "compare.csv").string() + ":1:1: error: no column 'ci95' in the header");
  const fs::path cut = broken("cut", "compare.csv", [](std::string& csv) {
    csv.erase(csv.rfind('\n', csv.size() - 2) + 1);  // the last row
  });
  const auto last = read_csv(compared() / "compare.csv").back();
  refused(cut, (cut / "compare.csv").string() + ": error: no row for " + last[2] + " of " +
                   last[3] + " at step 36 (the manifest announces 36 steps)");
  const fs::path empty =
      broken("empty", "compare.csv", [](std::string& csv) { csv.erase(csv.find('\n') + 1); });
  refused(empty, (empty / "compare.csv").string() +
                     ": error: no rows (expected one per observable, input after the first and "
                     "step)");
  const fs::path manifest = broken("manifest", "manifest.json", [](std::string& m) {
    m.replace(m.find("\"inputs\""), 8, "\"input\"");
  });
  refused(manifest,
          (manifest / "manifest.json").string() +
              ": error: a compare manifest needs 'inputs': at least two {scenario, source}");
}

TEST(ReportCompare, OlderManifestsWithoutScenarioTextsStillReport) {
  const fs::path dir = broken("older", "manifest.json", [](std::string& text) {
    auto m = json::parse(text).as_object();
    for (auto& in : m.at("inputs").as_array()) {
      in.as_object().erase("resolved_scenario");
      in.as_object().erase("description");
    }
    text = json::serialize(m);
  });
  const auto data = json::parse(report_data_json(dir)).as_object();
  EXPECT_TRUE(data.at("inputs").as_array()[0].at("text").is_null());
  EXPECT_EQ(data.at("inputs").as_array()[2].at("name"), "Corridor third party");
}

}  // namespace
}  // namespace entente
