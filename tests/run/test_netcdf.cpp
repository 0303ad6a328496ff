// trajectories.nc (MODEL.md §6, `[output] format = "netcdf"`), read back
// through libnetcdf's C API independently of the engine's reader: its
// dimensions, coordinates and attributes, and values equal bit for bit to
// the CSV files of the same run (strtod reads the shortest round-trip
// digits back exactly). Then `compare` and `report` read a NetCDF directory
// as they read the CSV one.
#include <gtest/gtest.h>
#include <netcdf.h>

#include <bit>
#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "cli_support.hpp"
#include "entente/report/report.hpp"
#include "entente/run/output.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/workshop/compare.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::fresh_dir;
using testing::read_csv;
using testing::slurp;

const bool kInSourceTree = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

RunReport run(const std::string& file, const fs::path& dir, const std::vector<std::string>& sets,
              int threads = 2) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  const LoadedScenario loaded = load_scenario(file, overrides);
  const Model model = compile(loaded.scenario);
  RunSettings settings;
  settings.threads = threads;
  return run_to_directory(model, settings, dir, {{"test"}, loaded.files});
}

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

// An open file, with assertions on every call.
struct Nc {
  int id = -1;
  explicit Nc(const fs::path& p) { EXPECT_EQ(nc_open(p.c_str(), NC_NOWRITE, &id), NC_NOERR); }
  ~Nc() { nc_close(id); }
  std::size_t dim(const char* name) const {
    int d = -1;
    std::size_t n = 0;
    EXPECT_EQ(nc_inq_dimid(id, name, &d), NC_NOERR) << name;
    EXPECT_EQ(nc_inq_dimlen(id, d, &n), NC_NOERR) << name;
    return n;
  }
  int var(const char* name) const {
    int v = -1;
    EXPECT_EQ(nc_inq_varid(id, name, &v), NC_NOERR) << name;
    return v;
  }
  bool has_var(const char* name) const {
    int v = -1;
    return nc_inq_varid(id, name, &v) == NC_NOERR;
  }
  // The variable's type and dimension names.
  std::pair<nc_type, std::vector<std::string>> shape(const char* name) const {
    const int v = var(name);
    nc_type type = 0;
    int ndims = 0;
    int dims[NC_MAX_VAR_DIMS];
    EXPECT_EQ(nc_inq_var(id, v, nullptr, &type, &ndims, dims, nullptr), NC_NOERR);
    std::vector<std::string> names;
    for (int k = 0; k < ndims; ++k) {
      char n[NC_MAX_NAME + 1];
      EXPECT_EQ(nc_inq_dimname(id, dims[k], n), NC_NOERR);
      names.emplace_back(n);
    }
    return {type, names};
  }
  std::vector<std::string> strings(const char* name, std::size_t n) const {
    std::vector<char*> p(n);
    EXPECT_EQ(nc_get_var_string(id, var(name), p.data()), NC_NOERR) << name;
    std::vector<std::string> out(p.begin(), p.end());
    nc_free_string(n, p.data());
    return out;
  }
  std::vector<std::string> string_attribute(int v, const char* name) const {
    std::size_t n = 0;
    EXPECT_EQ(nc_inq_attlen(id, v, name, &n), NC_NOERR) << name;
    std::vector<char*> p(n);
    EXPECT_EQ(nc_get_att_string(id, v, name, p.data()), NC_NOERR) << name;
    std::vector<std::string> out(p.begin(), p.end());
    nc_free_string(n, p.data());
    return out;
  }
  std::string text_attribute(int v, const char* name) const {
    std::size_t n = 0;
    EXPECT_EQ(nc_inq_attlen(id, v, name, &n), NC_NOERR) << name;
    std::string s(n, '\0');
    EXPECT_EQ(nc_get_att_text(id, v, name, s.data()), NC_NOERR) << name;
    return s;
  }
  template <class T>
  std::vector<T> values(const char* name, std::size_t n) const {
    std::vector<T> out(n);
    if constexpr (std::is_same_v<T, double>) {
      EXPECT_EQ(nc_get_var_double(id, var(name), out.data()), NC_NOERR) << name;
    } else {
      EXPECT_EQ(nc_get_var_int(id, var(name), out.data()), NC_NOERR) << name;
    }
    return out;
  }
};

double number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  EXPECT_EQ(*end, '\0') << s;
  return v;
}

// Checks trajectories.nc of `nc_dir` against the CSVs of `csv_dir` (same
// scenario, seed and [output] but the format).
void expect_equal_to_csv(const fs::path& nc_dir, const fs::path& csv_dir, const Scenario& s) {
  Nc f(nc_dir / "trajectories.nc");
  const std::size_t R = f.dim("run"), S = f.dim("step"), N = f.dim("actor"), K = f.dim("axis"),
                    Q = f.dim("issue");
  ASSERT_EQ(R, static_cast<std::size_t>(s.runs));
  ASSERT_EQ(f.dim("to"), N);
  std::vector<std::string> actors, axes, issues;
  for (const auto& a : s.actors) actors.push_back(a.id);
  for (const auto& a : s.axes) axes.push_back(a.id);
  for (const auto& q : s.issues) issues.push_back(q.id);
  EXPECT_EQ(f.strings("actor", N), actors);
  EXPECT_EQ(f.strings("to", N), actors);
  EXPECT_EQ(f.strings("axis", K), axes);
  EXPECT_EQ(f.strings("issue", Q), issues);
  const auto steps = f.values<int>("step", S);
  std::map<int, std::size_t> step_index;
  for (std::size_t k = 0; k < S; ++k) step_index[steps[k]] = k;
  EXPECT_EQ(steps.front(), 0);
  EXPECT_EQ(steps.back(), s.steps);
  EXPECT_EQ(f.values<int>("run", R).back(), s.runs - 1);

  EXPECT_EQ(f.shape("position"), (std::pair<nc_type, std::vector<std::string>>{
                                     NC_DOUBLE, {"run", "step", "actor", "axis"}}));
  EXPECT_EQ(f.shape("affinity"), (std::pair<nc_type, std::vector<std::string>>{
                                     NC_DOUBLE, {"run", "step", "actor", "to"}}));
  EXPECT_EQ(f.shape("regime").second, (std::vector<std::string>{"run", "step", "issue"}));
  const auto position = f.values<double>("position", R * S * N * K);
  const auto affinity = f.values<double>("affinity", R * S * N * N);
  const auto regime = f.values<int>("regime", R * S * Q);
  std::vector<int> bloc;
  EXPECT_EQ(f.has_var("bloc"), s.output.blocs);
  if (s.output.blocs) bloc = f.values<int>("bloc", R * S * N);
  EXPECT_EQ(f.text_attribute(NC_GLOBAL, "engine_version"), ENTENTE_VERSION);
  EXPECT_EQ(f.text_attribute(NC_GLOBAL, "scenario"), s.name);

  const int skip = s.start ? 3 : 2;
  const auto index = [&](const std::vector<std::string>& ids, const std::string& id) {
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
  };
  // Every CSV value is in the file; the file holds nothing else (NaN).
  std::vector<char> seen(affinity.size(), 0);
  const auto rs = [&](const std::vector<std::string>& row) {
    const auto r = static_cast<std::size_t>(std::stoi(row[0]));
    EXPECT_TRUE(step_index.contains(std::stoi(row[1])));
    if (s.start) {
      const auto dates = f.strings("date", S);
      EXPECT_EQ(dates[step_index[std::stoi(row[1])]], row[2]);
    }
    return r * S + step_index[std::stoi(row[1])];
  };
  const auto act = read_csv(csv_dir / "actors.csv");
  EXPECT_EQ(act.size() - 1, R * S * N);
  for (std::size_t k = 1; k < act.size(); ++k) {
    const std::size_t at = rs(act[k]) * N + index(actors, act[k][static_cast<std::size_t>(skip)]);
    for (std::size_t a = 0; a < K; ++a) {
      EXPECT_EQ(bits(position[at * K + a]),
                bits(number(act[k][static_cast<std::size_t>(skip) + 1 + a])))
          << k;
    }
    if (s.output.blocs) {
      EXPECT_EQ(bloc[at] == 1 ? "B" : "A", act[k].back());
    }
  }
  const auto rel = read_csv(csv_dir / "relations.csv");
  for (std::size_t k = 1; k < rel.size(); ++k) {
    const std::size_t at =
        (rs(rel[k]) * N + index(actors, rel[k][static_cast<std::size_t>(skip)])) * N +
        index(actors, rel[k][static_cast<std::size_t>(skip) + 1]);
    EXPECT_EQ(bits(affinity[at]), bits(number(rel[k][static_cast<std::size_t>(skip) + 2]))) << k;
    seen[at] = 1;
  }
  for (std::size_t k = 0; k < affinity.size(); ++k) {
    if (!seen[k]) {
      EXPECT_TRUE(std::isnan(affinity[k])) << k;
    }
  }
  const int v_regime = f.var("regime");
  const auto iss = read_csv(csv_dir / "issues.csv");
  EXPECT_EQ(iss.size() - 1, R * S * Q);
  for (std::size_t k = 1; k < iss.size(); ++k) {
    const std::size_t q = index(issues, iss[k][static_cast<std::size_t>(skip)]);
    const auto options = f.string_attribute(v_regime, ("options_" + issues[q]).c_str());
    EXPECT_EQ(options, s.issues[q].options);
    EXPECT_EQ(options[static_cast<std::size_t>(regime[rs(iss[k]) * Q + q])],
              iss[k][static_cast<std::size_t>(skip) + 1]);
  }
}

TEST(Netcdf, EqualsTheCsvFilesBitForBit) {
  const fs::path root = fresh_dir("netcdf-equal");
  const std::string file = "tests/data/noisy.toml";
  const std::vector<std::string> dated = {"scenario.step_unit=\"month\"",
                                          "scenario.start=\"2025-04\""};
  run(file, root / "csv", dated);
  std::vector<std::string> nc = dated;
  nc.push_back("output.format=\"netcdf\"");
  run(file, root / "nc", nc, 1);
  std::vector<Override> o;
  for (const auto& x : dated) o.push_back(parse_override(x));
  const Scenario s = load_scenario(file, o).scenario;
  expect_equal_to_csv(root / "nc", root / "csv", s);
  Nc f(root / "nc" / "trajectories.nc");
  EXPECT_EQ(f.strings("date", 13).back(), "2026-04");
  EXPECT_EQ(f.string_attribute(f.var("bloc"), "options"), (std::vector<std::string>{"A", "B"}));
}

TEST(Netcdf, ThinnedEqualsTheThinnedCsvFiles) {
  const fs::path root = fresh_dir("netcdf-thinned");
  const std::string file = "tests/data/noisy.toml";
  const std::vector<std::string> thin = {"output.every=5",
                                         "output.relations=[[\"S\",\"P\"],[\"P\",\"Q\"]]"};
  run(file, root / "csv", thin);
  std::vector<std::string> nc = thin;
  nc.push_back("output.format=\"netcdf\"");
  run(file, root / "nc", nc);
  std::vector<Override> o;
  for (const auto& x : thin) o.push_back(parse_override(x));
  const Scenario s = load_scenario(file, o).scenario;
  expect_equal_to_csv(root / "nc", root / "csv", s);
  // The same bytes on any number of threads (and at any time: no timestamps).
  run(file, root / "nc1", nc, 1);
  EXPECT_EQ(slurp(root / "nc1" / "trajectories.nc"), slurp(root / "nc" / "trajectories.nc"));
  Nc f(root / "nc" / "trajectories.nc");
  EXPECT_EQ(f.values<int>("step", 4), (std::vector<int>{0, 5, 10, 12}));
  EXPECT_FALSE(f.has_var("date"));
  // A scenario without blocs has no bloc variable.
  run(file, root / "noblocs", {"output.blocs=false", "output.format=\"netcdf\""});
  Nc g(root / "noblocs" / "trajectories.nc");
  EXPECT_FALSE(g.has_var("bloc"));
  EXPECT_TRUE(g.has_var("affinity"));
  // relations = "none": no affinity variable at all; positions as before.
  run(file, root / "none", {"output.relations=\"none\"", "output.format=\"netcdf\""});
  Nc h(root / "none" / "trajectories.nc");
  EXPECT_FALSE(h.has_var("affinity"));
  Nc all(root / "noblocs" / "trajectories.nc");
  const std::size_t n = 24 * 13 * 4 * 2;
  EXPECT_EQ(h.values<double>("position", n), all.values<double>("position", n));
}

// `compare` and `report` read a NetCDF directory as the CSV one: the same
// trajectories, bit for bit, and the same report data but for the manifest.
TEST(Netcdf, CompareAndReportReadNetcdfDirectories) {
  const fs::path root = fresh_dir("netcdf-readers");
  const std::string file = "tests/data/noisy.toml";
  run(file, root / "csv", {});
  run(file, root / "nc", {"output.format=\"netcdf\""});
  const Trajectories a = read_run_directory(root / "csv"), b = read_run_directory(root / "nc");
  EXPECT_EQ(a.names, b.names);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t k = 0; k < a.values.size(); ++k)
    ASSERT_EQ(bits(a.values[k]), bits(b.values[k])) << k;
  auto ja = boost::json::parse(report_data_json(root / "csv")).as_object();
  auto jb = boost::json::parse(report_data_json(root / "nc")).as_object();
  for (const char* key : {"positions", "blocs", "relations", "observables", "issues", "events"}) {
    ASSERT_TRUE(ja.contains(key)) << key;
    EXPECT_EQ(ja.at(key), jb.at(key)) << key;
  }
}

TEST(Netcdf, ThinnedDirectoriesAreRefusedByCompareAndReport) {
  const fs::path root = fresh_dir("netcdf-thin-readers");
  run("tests/data/noisy.toml", root / "thin", {"output.every=4", "output.format=\"netcdf\""});
  const std::string want = (root / "thin").string() +
                           ": error: written with [output] every = 4; compare needs every step "
                           "and relation (run it again with every = 1 and relations = \"all\", or "
                           "compare the scenario files)";
  try {
    read_run_directory(root / "thin");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), want);
  }
  try {
    report_data_json(root / "thin");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              (root / "thin").string() +
                  ": error: written with [output] every = 4; the report needs every step and "
                  "relation (run it again with every = 1 and relations = \"all\")");
  }
}

TEST(Netcdf, NotANetcdfFileIsAnInputError) {
  const fs::path root = fresh_dir("netcdf-broken");
  run("tests/data/noisy.toml", root / "nc", {"output.format=\"netcdf\""});
  {
    std::ofstream out(root / "nc" / "trajectories.nc", std::ios::trunc);
    out << "not netcdf";
  }
  try {
    read_run_directory(root / "nc");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind(
            (root / "nc" / "trajectories.nc").string() + ": error: cannot read it as NetCDF", 0),
        0u)
        << e.what();
  }
}

// A disk that fills up (a file-size limit of 100 KiB) or Ctrl-C in the
// middle of a NetCDF run: exit 1 or 130 with a message, nothing left behind
// (no partial file, no staging directory, no summary spill file), and no
// crash in HDF5's exit handler.
TEST(Netcdf, AFullDiskOrCtrlCLeavesNothing) {
  const fs::path root = fresh_dir("netcdf-full");
  const auto shell = [&](const std::string& command) {
    const std::string line = std::string("cd '") + ENTENTE_SOURCE_DIR + "' && " + command;
    return std::system(("bash -c \"" + line + "\"").c_str());
  };
  const int full = shell("ulimit -f 100 && '" + std::string(ENTENTE_CLI) +
                         "' run tests/data/noisy.toml -q --runs 5000 --format netcdf --set "
                         "events.shock.enabled=false --set events.open_route.enabled=false -o '" +
                         (root / "full").string() + "' 2>'" + (root / "err").string() + "'");
  ASSERT_TRUE(WIFEXITED(full));
  EXPECT_EQ(WEXITSTATUS(full), 1);
  const std::string err = slurp(root / "err");
  EXPECT_EQ(err.rfind("entente: error: ", 0), 0u) << err;
  EXPECT_NE(err.find("trajectories.nc"), std::string::npos) << err;
  EXPECT_NE(err.find("nothing was written and " + (root / "full").string() + " is as it was"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(root / "full"));
  // --foreground: one SIGINT to entente alone (without it, timeout signals its
  // process group too, and a second Ctrl-C ends the process at once).
  const int stopped =
      shell("timeout --foreground --preserve-status -s INT 1.5 '" + std::string(ENTENTE_CLI) +
            "' run tests/data/noisy.toml -q --runs 2000000 --format netcdf -o '" +
            (root / "int").string() + "' 2>'" + (root / "err2").string() + "'");
  ASSERT_TRUE(WIFEXITED(stopped));
  EXPECT_EQ(WEXITSTATUS(stopped), 130) << slurp(root / "err2");
  EXPECT_NE(slurp(root / "err2").find("entente: interrupted after "), std::string::npos);
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(root)) left.insert(e.path().filename());
  EXPECT_EQ(left, (std::set<std::string>{"err", "err2"}));
}

}  // namespace
}  // namespace entente
