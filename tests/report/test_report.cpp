// The data `entente report` embeds equals what the run wrote (the browser
// test, whose JSON.parse is exact, checks the shown values to the bit): the statistics
// of summary.csv and shares.csv, quantiles recomputed by hand from actors.csv,
// event counts from events.csv and driver means from drivers.csv. The page
// holds the data once and cannot be cut short by a `</script>` in a text.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <tuple>

#include "cli_support.hpp"
#include "entente/report/report.hpp"
#include "entente/run/output.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::fresh_dir;
using testing::slurp;

using testing::read_csv;

// A run of tests/data/noisy.toml (24 runs, 12 steps, 4 actors, blocs, a
// `when` event, an issue) with drivers, made once for every test.
const fs::path& noisy_run() {
  static const fs::path dir = [] {
    const fs::path d = fresh_dir("report-noisy") / "out";
    const LoadedScenario loaded = load_scenario("tests/data/noisy.toml");
    RunSettings settings;
    settings.threads = 2;
    settings.drivers = true;
    run_to_directory(compile(loaded.scenario), settings, d, {{"entente", "run"}, loaded.files});
    return d;
  }();
  return dir;
}

const json::object& noisy_data() {
  static const json::object data = json::parse(report_data_json(noisy_run())).as_object();
  return data;
}

double num(const json::value& v) {
  return v.to_number<double>();
}

// Pair index of (i, j), i ≠ j, in the data's "relations" (actors P Q S U).
int pair(int i, int j) {
  return i * 3 + (j < i ? j : j - 1);
}

// The text of `"name":"NAME","stats":{"mean":[…],"sd":[…],"q":[[p05…],…]}`
// built from summary.csv's fields as written: the data must hold the very
// same numbers, character for character (Boost.JSON 1.81 parses doubles only
// approximately, so the comparison is on the text).
std::string stats_text_from_summary(const std::string& observable) {
  std::vector<std::vector<std::string>> columns(7);
  for (const auto& row : read_csv(noisy_run() / "summary.csv")) {
    if (row[1] != observable) continue;
    for (std::size_t c = 0; c < 7; ++c) columns[c].push_back(row[2 + c]);
  }
  const auto array = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& x : v) out += (out.size() > 1 ? "," : "") + x;
    return out + "]";
  };
  std::string q = "[";
  for (std::size_t c = 2; c < 7; ++c) q += (c > 2 ? "," : "") + array(columns[c]);
  return "{\"mean\":" + array(columns[0]) + ",\"sd\":" + array(columns[1]) + ",\"q\":" + q + "]}";
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Report, ObservablesEqualSummaryCsv) {
  const std::string text = report_data_json(noisy_run());
  for (const char* name : {"affinity(P,Q)", "frustration", "polarization(x)"}) {
    const std::string stats = stats_text_from_summary(name);
    EXPECT_EQ(std::count(stats.begin(), stats.end(), ','), 7 * 13 - 1) << name;
    EXPECT_EQ(count(text, "{\"name\":\"" + std::string(name) + "\",\"stats\":" + stats + "}"), 1U)
        << name;
  }
  EXPECT_EQ(noisy_data().at("observables").as_array().size(), 3U);
}

TEST(Report, RelationStatisticsFromRelationsCsvEqualSummaryCsv) {
  // affinity(P,Q) is in summary.csv and, with every other pair, computed from
  // relations.csv: the two agree exactly, at every step.
  const std::string text = report_data_json(noisy_run());
  EXPECT_EQ(count(text, stats_text_from_summary("affinity(P,Q)")), 2U);
  EXPECT_EQ(noisy_data().at("relations").as_array().size(), 12U);
  EXPECT_EQ(json::serialize(
                noisy_data().at("relations").as_array()[static_cast<std::size_t>(pair(0, 1))]),
            json::serialize(noisy_data().at("observables").as_array()[0].at("stats")));
}

TEST(Report, PositionQuantilesRecomputedFromActorsCsv) {
  // The median of 24 runs is halfway between the 12th and 13th values
  // (numpy's linear rule: position 11.5); p05 sits at 1.15.
  std::map<int, std::vector<double>> qx;  // actor S, axis y, per step
  for (const auto& row : read_csv(noisy_run() / "actors.csv")) {
    if (row[2] == "S") qx[std::stoi(row[1])].push_back(std::stod(row[4]));
  }
  const auto& series = noisy_data().at("positions").as_array()[2 * 2 + 1].as_object();  // S, y
  for (auto& [t, values] : qx) {
    ASSERT_EQ(values.size(), 24U);
    std::sort(values.begin(), values.end());
    const auto q = [&](std::size_t k) {
      return num(series.at("q").as_array()[k].as_array()[static_cast<std::size_t>(t)]);
    };
    EXPECT_DOUBLE_EQ(q(2), values[11] + 0.5 * (values[12] - values[11])) << "step " << t;
    EXPECT_DOUBLE_EQ(q(0), values[1] + 0.15 * (values[2] - values[1])) << "step " << t;
  }
  EXPECT_EQ(qx.size(), 13U);
}

// "What moved": the relations and positions whose median changed most from
// step 0 to step 12, recomputed from relations.csv and actors.csv (numpy's
// linear median of 24 runs), largest |change| first, ties in file order.
TEST(Report, WhatMovedRecomputedFromTheCsvFiles) {
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const double at = 0.5 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    return lo + 1 < v.size() ? v[lo] + (at - static_cast<double>(lo)) * (v[lo + 1] - v[lo]) : v[lo];
  };
  const auto quantile = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double at = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(at);
    return lo + 1 < v.size() ? v[lo] + (at - static_cast<double>(lo)) * (v[lo + 1] - v[lo]) : v[lo];
  };
  struct Expected {
    std::string name;
    double change;
    std::vector<double> start, end;
  };
  const auto expected_of = [&](const std::map<std::string, std::map<int, std::vector<double>>>& by,
                               std::size_t top) {
    std::vector<Expected> all;
    for (const auto& [name, steps] : by) {
      const auto& a = steps.at(0);
      const auto& z = steps.at(12);
      all.push_back({name,
                     median(z) - median(a),
                     {quantile(a, 0.05), median(a), quantile(a, 0.95)},
                     {quantile(z, 0.05), median(z), quantile(z, 0.95)}});
    }
    std::erase_if(all, [](const Expected& e) { return e.change == 0.0; });
    std::stable_sort(all.begin(), all.end(), [](const Expected& x, const Expected& y) {
      return std::abs(x.change) > std::abs(y.change);
    });
    if (all.size() > top) all.resize(top);
    return all;
  };
  // Keys sort like file order here: the actors P Q S U and the axes x y are alphabetical.
  std::map<std::string, std::map<int, std::vector<double>>> relations, positions;
  for (const auto& row : read_csv(noisy_run() / "relations.csv"))
    if (row[1] != "step")
      relations["affinity(" + row[2] + "," + row[3] + ")"][std::stoi(row[1])].push_back(
          std::stod(row[4]));
  for (const auto& row : read_csv(noisy_run() / "actors.csv")) {
    if (row[1] == "step") continue;
    positions["position(" + row[2] + ",x)"][std::stoi(row[1])].push_back(std::stod(row[3]));
    positions["position(" + row[2] + ",y)"][std::stoi(row[1])].push_back(std::stod(row[4]));
  }
  const auto& moved = noisy_data().at("moved").as_object();
  for (const auto& [key, by, top] : {std::tuple{"relations", &relations, std::size_t{5}},
                                     std::tuple{"positions", &positions, std::size_t{3}}}) {
    const auto expected = expected_of(*by, top);
    const auto& list = moved.at(key).as_array();
    ASSERT_EQ(list.size(), expected.size()) << key;
    ASSERT_EQ(list.size(), top) << key;  // noisy.toml moves more than that
    for (std::size_t k = 0; k < list.size(); ++k) {
      const auto& m = list[k].as_object();
      EXPECT_EQ(m.at("name").as_string(), expected[k].name) << key << " " << k;
      EXPECT_NEAR(num(m.at("change")), expected[k].change, 1e-12) << expected[k].name;
      for (std::size_t q = 0; q < 3; ++q) {
        EXPECT_NEAR(num(m.at("start").as_array()[q]), expected[k].start[q], 1e-12);
        EXPECT_NEAR(num(m.at("end").as_array()[q]), expected[k].end[q], 1e-12);
      }
    }
  }
}

TEST(Report, BlocAndRegimeSharesEqualSharesCsv) {
  const auto& data = noisy_data();
  int checked = 0;
  for (const auto& row : read_csv(noisy_run() / "shares.csv")) {
    if (row[0] == "step") continue;
    const auto t = static_cast<std::size_t>(std::stoi(row[0]));
    const double share = std::stod(row[3]);
    if (row[1] == "bloc(Q)") {
      const double in_b = num(data.at("blocs").as_array()[1].as_array()[t]);
      EXPECT_DOUBLE_EQ(row[2] == "B" ? in_b : 1.0 - in_b, share) << "step " << t;
      ++checked;
    } else if (row[1] == "regime(route)") {
      const auto& issue = data.at("issues").as_array()[0].as_object();
      const std::size_t o = row[2] == "closed" ? 0 : 1;
      EXPECT_DOUBLE_EQ(num(issue.at("shares").as_array()[o].as_array()[t]), share) << "step " << t;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 * 2 * 13);
}

TEST(Report, EventsCountEveryFiring) {
  std::map<std::pair<std::string, int>, int> firings;
  for (const auto& row : read_csv(noisy_run() / "events.csv")) {
    if (row[0] != "run") ++firings[{row[2], std::stoi(row[1])}];
  }
  std::size_t seen = 0;
  for (const auto& e : noisy_data().at("events").as_array()) {
    for (const auto& f : e.at("fired").as_array()) {
      const std::string id(e.at("id").as_string());
      const int t = static_cast<int>(f.as_array()[0].to_number<long long>());
      EXPECT_DOUBLE_EQ(num(f.as_array()[1]), firings.at({id, t}) / 24.0) << id << " at " << t;
      ++seen;
    }
  }
  EXPECT_EQ(seen, firings.size());
  EXPECT_EQ(noisy_data().at("events").as_array()[1].at("detail").as_string(), "position(U,x)+=1.5");
}

// The embedded driver means of one slot (`data[member][slot]`) against the
// CSV file's rows for that slot (columns 2 and 3 equal `a` and `b`): each is
// the sum over the 24 runs / 24, and they add up to the change of `mean`.
// Returns the driver names in the data's order.
std::vector<std::string> expect_driver_means(const char* key, const char* member, std::size_t slot,
                                             const char* file, const std::string& a,
                                             const std::string& b, const json::array& mean) {
  const auto& drivers = noisy_data().at(key).as_object();
  const auto& names = drivers.at("names").as_array();
  const auto& parts = drivers.at(member).as_array()[slot].as_object();
  std::map<std::string, std::vector<double>> sums;
  for (const auto& row : read_csv(noisy_run() / file)) {
    if (row[0] == "run" || row[2] != a || row[3] != b) continue;
    auto& s = sums[row[4]];
    s.resize(13, 0.0);
    s[static_cast<std::size_t>(std::stoi(row[1]))] += std::stod(row[5]);
  }
  EXPECT_GE(sums.size(), 3U) << file;
  EXPECT_EQ(parts.size(), sums.size()) << file;
  for (std::size_t t = 1; t <= 12; ++t) {
    double total = 0.0;
    for (const auto& [index, per_step] : parts) {
      const std::string name(names[std::stoul(std::string(index))].as_string());
      EXPECT_DOUBLE_EQ(num(per_step.as_array()[t]), sums.at(name)[t] / 24.0) << name << " at " << t;
      total += num(per_step.as_array()[t]);
    }
    EXPECT_NEAR(total, num(mean[t]) - num(mean[t - 1]), 1e-12) << file << " step " << t;
  }
  std::vector<std::string> order;
  for (const auto& n : names) order.emplace_back(n.as_string());
  return order;
}

TEST(Report, DriversAreMeansOverRunsAndAddUpToTheMeanChange) {
  const auto p = static_cast<std::size_t>(pair(0, 1));
  const auto names =
      expect_driver_means("drivers", "pairs", p, "drivers.csv", "P", "Q",
                          noisy_data().at("relations").as_array()[p].at("mean").as_array());
  EXPECT_EQ(names[0], "event:open_route");
}

// position_drivers.csv the same way, per actor and axis (slot i·K + a).
TEST(Report, PositionDriversAreMeansOverRunsAndAddUpToTheMeanChange) {
  const auto& axes = noisy_data().at("scenario").at("axes").as_array();
  const std::size_t slot = 0 * axes.size() + 0;  // P on the first axis
  const auto names =
      expect_driver_means("position_drivers", "slots", slot, "position_drivers.csv", "P",
                          std::string(axes[0].at("id").as_string()),
                          noisy_data().at("positions").as_array()[slot].at("mean").as_array());
  // Events first, then the influences of the other actors, anchoring, noise, clip.
  EXPECT_EQ(names[0], "event:open_route");
  EXPECT_LT(std::find(names.begin(), names.end(), "influence:Q"),
            std::find(names.begin(), names.end(), "anchoring"));
}

TEST(Report, HeaderCarriesTheScenarioAndItsProvenance) {
  const auto& data = noisy_data();
  EXPECT_EQ(data.at("kind").as_string(), "run");
  EXPECT_EQ(data.at("scenario").at("name").as_string(), "Noisy");
  EXPECT_EQ(data.at("manifest").at("seed").to_number<long long>(), 7);
  EXPECT_EQ(data.at("runs").to_number<long long>(), 24);
  EXPECT_EQ(data.at("steps").to_number<long long>(), 12);
  EXPECT_TRUE(data.at("dates").is_null());
  EXPECT_EQ(data.at("generator").at("version").as_string(), ENTENTE_VERSION);
  const auto manifest = json::parse(slurp(noisy_run() / "manifest.json"));
  EXPECT_EQ(data.at("scenario").at("text"), manifest.at("resolved_scenario"));
  EXPECT_FALSE(data.at("manifest").as_object().contains("resolved_scenario"));  // held once
}

}  // namespace
}  // namespace entente
