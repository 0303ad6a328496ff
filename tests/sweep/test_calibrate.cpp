// `entente calibrate`: recovering rates from targets the engine made itself
// (noise off), the loss at the truth, every calibration-file error with its
// exact message, the files written, and Ctrl-C keeping a valid best.toml.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_support.hpp"
#include "entente/model/model.hpp"
#include "entente/model/simulation.hpp"
#include "entente/report/report.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/sweep/calibrate.hpp"
#include "entente/util/date.hpp"
#include "util/csv.hpp"

extern char** environ;

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::fresh_dir;
using testing::slurp;

const bool kInSourceRoot = [] {
  fs::current_path(ENTENTE_SOURCE_DIR);
  return true;
}();

const fs::path kThree = fs::absolute("tests/data/calibrate/three.toml");

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// targets.csv from a noiseless run of three.toml with its own (true) rates:
// four observables at seven dates, sd 0.05.
std::string engine_targets() {
  const Scenario s = load_scenario(kThree).scenario;
  const Model m = compile(s);
  Simulation sim(m, 0);
  const std::vector<std::string> names{"affinity(A,B)", "affinity(B,C)", "affinity(C,A)",
                                       "position(C,orientation)"};
  std::string out = "# made by the engine with the true rates\ndate,observable,value,sd\n";
  for (int t = 1; t <= s.steps; ++t) {
    sim.advance();
    if (t != 2 && t != 4 && t != 6 && t != 9 && t != 12 && t != 18 && t != 24) continue;
    for (const auto& n : names) {
      out += step_date(*s.start, s.step_unit, t) + ",\"" + n + "\"," +
             detail::format_double(observe(m, sim.state(), parse_observable(n, s))) + ",0.05\n";
    }
  }
  return out;
}

const std::string kParameters = R"(
[[parameters]]
path = "model.memory"
min = 0.01
max = 0.3
[[parameters]]
path = "model.balance"
min = 0.0
max = 0.2
[[parameters]]
path = "model.influence"
min = 0.05
max = 0.5
)";

fs::path calibration_dir(const std::string& name, int runs = 1, int max_evaluations = 600) {
  const fs::path dir = fresh_dir(name);
  write(dir / "targets.csv", engine_targets());
  write(dir / "cal.toml", "[calibration]\nname = \"three\"\nscenario = \"" + kThree.string() +
                              "\"\nruns = " + std::to_string(runs) +
                              "\nseed = 1\nmax_evaluations = " + std::to_string(max_evaluations) +
                              "\n" + kParameters + "[[targets]]\nfile = \"targets.csv\"\n");
  return dir;
}

TEST(Calibrate, LossAtTheTruthIsZero) {
  const Calibration cal = load_calibration(calibration_dir("truth") / "cal.toml");
  ASSERT_EQ(cal.targets.size(), 28u);
  EXPECT_EQ(cal.targets[0].date, "2020-03");
  EXPECT_EQ(cal.targets[0].step, 2);
  const CalibrationEvaluator eval(cal, 1);
  std::vector<TargetFit> fit;
  EXPECT_EQ(eval.loss({0.12, 0.08, 0.2}, &fit), 0.0);
  for (std::size_t k = 0; k < fit.size(); ++k) EXPECT_EQ(fit[k].mean, cal.targets[k].value);
  // Away from the truth the loss is positive.
  EXPECT_GT(eval.loss({0.15, 0.08, 0.2}), 0.0);
}

TEST(Calibrate, RecoversKnownRatesWithNoiseOff) {
  const Calibration cal = load_calibration(calibration_dir("recover") / "cal.toml");
  CalibrationSettings settings;
  settings.threads = 1;
  const CalibrationResult r = calibrate(cal, settings);
  ASSERT_EQ(r.best.size(), 3u);
  EXPECT_NEAR(r.best[0], 0.12, 1e-4);
  EXPECT_NEAR(r.best[1], 0.08, 1e-4);
  EXPECT_NEAR(r.best[2], 0.2, 1e-4);
  EXPECT_LT(r.loss, 1e-12);
  EXPECT_FALSE(r.interrupted);
  // Every parameter is identified by these targets, the truth inside its interval.
  const std::vector<double> truth{0.12, 0.08, 0.2};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_TRUE(r.summaries[k].identified) << k;
    EXPECT_LE(r.summaries[k].lo, truth[k]);
    EXPECT_GE(r.summaries[k].hi, truth[k]);
  }
  // Same seeds, same answer whatever the threads.
  settings.threads = 2;
  const CalibrationResult r2 = calibrate(cal, settings);
  EXPECT_EQ(r2.best, r.best);
  EXPECT_EQ(r2.evaluations, r.evaluations);
}

TEST(Calibrate, AFlatProfileIsNotIdentified) {
  // Stakes do nothing in three.toml (no issues): its profile is flat.
  const fs::path dir = calibration_dir("flat");
  write(dir / "cal.toml", "[calibration]\nscenario = \"" + kThree.string() +
                              "\"\nmax_evaluations = 200\n[[parameters]]\npath = "
                              "\"model.stakes\"\nmin = 0\nmax = 0.5\n[[parameters]]\npath = "
                              "\"model.memory\"\nmin = 0.01\nmax = 0.3\n[[targets]]\nfile = "
                              "\"targets.csv\"\n");
  const CalibrationResult r = calibrate(load_calibration(dir / "cal.toml"), {});
  EXPECT_FALSE(r.summaries[0].identified);
  EXPECT_TRUE(r.summaries[1].identified);
  const std::string best = best_toml(load_calibration(dir / "cal.toml"), r, dir / "out");
  EXPECT_NE(best.find("# model.stakes in [0, 0.5]: not identified by these targets"),
            std::string::npos)
      << best;
}

// The error of loading a calibration file with this text (beside targets.csv).
std::string error_of(const std::string& text) {
  const fs::path dir = fresh_dir("errors");
  write(dir / "targets.csv", engine_targets());
  write(dir / "cal.toml", text);
  try {
    load_calibration(dir / "cal.toml");
  } catch (const InputError& e) {
    const std::string what = e.what();
    const std::string prefix = (dir / "").string();
    return what.starts_with(prefix) ? what.substr(prefix.size()) : what;
  }
  return "no error";
}

std::string head() {
  return "[calibration]\nscenario = \"" + kThree.string() + "\"\n";  // lines 1-2
}
const std::string kOneParameter =
    "[[parameters]]\npath = \"model.memory\"\nmin = 0.01\nmax = 0.3\n";
const std::string kOneTarget =
    "[[targets]]\nobservable = \"affinity(A,B)\"\ndate = \"2020-06\"\nvalue = -0.2\n";

TEST(CalibrateErrors, TheValidFileLoads) {
  EXPECT_EQ(error_of(head() + kOneParameter + kOneTarget), "no error");
}

TEST(CalibrateErrors, UnknownPath) {
  EXPECT_EQ(
      error_of(head() + "[[parameters]]\npath = \"model.memori\"\nmin = 0\nmax = 1\n" + kOneTarget),
      "cal.toml:4:8: error: parameter 'model.memori' at 0: unknown key 'memori' in [model] "
      "(did you mean 'memory'?)");
}

TEST(CalibrateErrors, MinNotBelowMax) {
  EXPECT_EQ(error_of(head() + "[[parameters]]\npath = \"model.memory\"\nmin = 0.3\nmax = 0.1\n" +
                     kOneTarget),
            "cal.toml:6:7: error: parameter 'model.memory': min must be below max (got min 0.3, "
            "max 0.1)");
}

TEST(CalibrateErrors, UnknownObservable) {
  EXPECT_EQ(error_of(head() + kOneParameter +
                     "[[targets]]\nobservable = \"afinity(A,B)\"\nstep = 3\nvalue = 0\n"),
            "cal.toml:8:14: error: targets[0]: unknown observable 'afinity(A,B)': unknown "
            "observable 'afinity' (did you mean 'affinity'?)");
}

TEST(CalibrateErrors, StepOutsideTheRun) {
  EXPECT_EQ(error_of(head() + kOneParameter +
                     "[[targets]]\nobservable = \"affinity(A,B)\"\nstep = 25\nvalue = 0\n"),
            "cal.toml:9:8: error: step 25 is outside the run (steps 0 to 24)");
}

TEST(CalibrateErrors, DateOutsideTheRun) {
  EXPECT_EQ(error_of(head() + kOneParameter +
                     "[[targets]]\nobservable = \"affinity(A,B)\"\ndate = \"2022-02\"\nvalue = "
                     "0\n"),
            "cal.toml:9:8: error: date '2022-02' is not a step of the run (its steps run from "
            "2020-01 to 2022-01, by month)");
}

TEST(CalibrateErrors, DateOutsideTheRunInACsv) {
  const fs::path dir = fresh_dir("csv-errors");
  write(dir / "t.csv",
        "# comment\ndate,observable,value\n2020-02,affinity(A,B),0.1\n1999-01,affinity(A,B),0.1\n");
  write(dir / "cal.toml", head() + kOneParameter + "[[targets]]\nfile = \"t.csv\"\n");
  try {
    load_calibration(dir / "cal.toml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "t.csv").string() +
                                         ":4:1: error: date '1999-01' is not a step of the run "
                                         "(its steps run from 2020-01 to 2022-01, by month)");
  }
}

TEST(CalibrateErrors, NoTargets) {
  EXPECT_EQ(error_of(head() + kOneParameter),
            "cal.toml:1:1: error: a calibration needs at least one target ([[targets]] with "
            "observable, step or date, value and optional sd; or [[targets]] file = "
            "\"targets.csv\")");
}

TEST(CalibrateErrors, UnknownKey) {
  EXPECT_EQ(error_of(head() + "run = 3\n" + kOneParameter + kOneTarget).substr(0, 40),
            "cal.toml:3:1: error: unknown key 'run' i");
}

// The CLI: files written, `entente run best.toml` works, Ctrl-C keeps the best.
TEST(CalibrateCli, WritesItsFilesAndBestTomlRuns) {
  const fs::path dir = calibration_dir("cli", 1, 300);
  const fs::path out = dir / "out";
  const auto r = testing::cli("calibrate " + (dir / "cal.toml").string() + " -o " + out.string() +
                              " --threads 1");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : {"best.toml", "fit.csv", "trace.csv", "profile.csv", "manifest.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  const auto fit = testing::read_csv(out / "fit.csv");
  ASSERT_EQ(fit.size(), 29u);
  EXPECT_EQ(fit[0], (std::vector<std::string>{"observable", "step", "date", "value", "sd", "mean",
                                              "p05", "p95", "residual"}));
  const auto trace = testing::read_csv(out / "trace.csv");
  EXPECT_EQ(trace[0], (std::vector<std::string>{"evaluation", "stage", "model.memory",
                                                "model.balance", "model.influence", "loss"}));
  const LoadedScenario best = load_scenario(out / "best.toml");
  EXPECT_NEAR(best.scenario.rates.memory, 0.12, 1e-4);
  const auto run =
      testing::cli("run " + (out / "best.toml").string() + " -q -o " + (dir / "run").string());
  EXPECT_EQ(run.status, 0) << run.err;
}

TEST(CalibrateCli, CtrlCKeepsAValidBestToml) {
  // 4,000 runs per evaluation: long enough to be interrupted.
  const fs::path dir = calibration_dir("sigint", 4000, 100000);
  const fs::path out = dir / "out";
  std::vector<std::string> all{
      ENTENTE_CLI, "calibrate", (dir / "cal.toml").string(), "-o", out.string(), "--threads", "1"};
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const fs::path err = dir / "err";
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, ENTENTE_CLI, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  // Wait for the first evaluation's progress line, then interrupt.
  for (int k = 0; k < 600 && slurp(err).find("evaluations") == std::string::npos; ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string message = slurp(err);
  EXPECT_NE(message.find("entente: interrupted after "), std::string::npos) << message;
  EXPECT_NE(message.find("kept the best point so far in " + (out / "best.toml").string()),
            std::string::npos)
      << message;
  const LoadedScenario best = load_scenario(out / "best.toml");
  EXPECT_GE(best.scenario.rates.memory, 0.01);
  EXPECT_LE(best.scenario.rates.memory, 0.3);
  EXPECT_NE(slurp(out / "best.toml").find("INTERRUPTED"), std::string::npos);
  EXPECT_NE(slurp(out / "manifest.json").find("\"interrupted\":true"), std::string::npos);
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(History, TheScenarioValidatesAndItsCalibrationLoads) {
  const LoadedScenario h = load_scenario("scenarios/history/2018.toml");
  EXPECT_TRUE(h.warnings.empty());
  EXPECT_EQ(h.scenario.anchor, AnchorMode::equilibrium);
  EXPECT_EQ(h.scenario.steps, 67);
  const Calibration cal = load_calibration("scenarios/history/calibrate_2018_2021.toml");
  ASSERT_EQ(cal.targets.size(), 20u);  // five actors, December 2018-2021
  EXPECT_EQ(cal.targets.back().date, "2021-12");
  EXPECT_EQ(cal.targets.back().step, 43);
  // The full record reaches December 2023, the last step.
  const fs::path dir = fresh_dir("history");
  write(dir / "cal.toml", "[calibration]\nscenario = \"" +
                              fs::absolute("scenarios/history/2018.toml").string() +
                              "\"\n[[parameters]]\npath = \"model.memory\"\nmin = 0.02\nmax = 0.3\n"
                              "[[targets]]\nfile = \"" +
                              fs::absolute("scenarios/history/unga_targets.csv").string() + "\"\n");
  const Calibration all = load_calibration(dir / "cal.toml");
  ASSERT_EQ(all.targets.size(), 30u);
  EXPECT_EQ(all.targets.back().step, 67);
  const double loss = CalibrationEvaluator(cal, 2).loss({0.04, 0.08, 0.04});
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_GT(loss, 0.0);
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(Calibrate, WithNoiseTheTruthIsInsideTheProfileInterval) {
  // three.toml with noise on; targets: the ensemble means of 50 runs with
  // another seed (99) at the true rates, so that the calibration (seed 1)
  // cannot reproduce them exactly.
  const fs::path dir = fresh_dir("noisy");
  write(dir / "noisy.toml", "[scenario]\nname = \"noisy\"\nextends = \"" + kThree.string() +
                                "\"\n[model]\nnoise_affinity = 0.03\nnoise_position = 0.01\n");
  write(dir / "targets.csv", engine_targets());
  const auto cal_text = [&](int seed) {
    return "[calibration]\nscenario = \"noisy.toml\"\nruns = 50\nseed = " + std::to_string(seed) +
           "\nmax_evaluations = 300\n[[parameters]]\npath = \"model.memory\"\nmin = 0.01\nmax = "
           "0.3\n[[parameters]]\npath = \"model.influence\"\nmin = 0.05\nmax = 0.5\n[[targets]]\n"
           "file = \"targets.csv\"\n";
  };
  write(dir / "truth.toml", cal_text(99));
  const Calibration truth = load_calibration(dir / "truth.toml");
  std::vector<TargetFit> fit;
  CalibrationEvaluator(truth, 2).loss({0.12, 0.2}, &fit);
  std::string csv = "step,observable,value,sd\n";
  for (std::size_t k = 0; k < fit.size(); ++k) {
    csv += std::to_string(truth.targets[k].step) + ",\"" + truth.targets[k].observable_text +
           "\"," + detail::format_double(fit[k].mean) + ",0.05\n";
  }
  write(dir / "targets.csv", csv);
  write(dir / "cal.toml", cal_text(1));
  const Calibration cal = load_calibration(dir / "cal.toml");
  EXPECT_GT(CalibrationEvaluator(cal, 2).loss({0.12, 0.2}), 0.0);  // other seeds: not exact
  CalibrationSettings settings;
  settings.threads = 2;
  const CalibrationResult r = calibrate(cal, settings);
  const std::vector<double> true_values{0.12, 0.2};
  for (std::size_t k = 0; k < 2; ++k) {
    ASSERT_TRUE(r.summaries[k].computed);
    EXPECT_LE(r.summaries[k].lo, true_values[k]) << k;
    EXPECT_GE(r.summaries[k].hi, true_values[k]) << k;
  }
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(CalibrateErrors, APathThatTakesOnlyIntegers) {
  EXPECT_EQ(
      error_of(head() + "[[parameters]]\npath = \"events.shock.step\"\nmin = 1\nmax = 10\n" +
               kOneTarget),
      "cal.toml:4:8: error: parameter 'events.shock.step' at 4.43769410125: events.shock.step "
      "must be an integer, not a float");
}

}  // namespace
}  // namespace entente

namespace entente {
namespace {

TEST(CalibrateReport, TheReportShowsFitAndProfiles) {
  const fs::path dir = calibration_dir("report", 1, 200);
  const fs::path out = dir / "out";
  ASSERT_EQ(
      testing::cli("calibrate " + (dir / "cal.toml").string() + " -q -o " + out.string()).status,
      0);
  EXPECT_EQ(output_kind(out), OutputKind::calibration);
  const auto r = testing::cli("report " + out.string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string html = slurp(out / "report.html");
  EXPECT_NE(html.find("API.views.calibration"), std::string::npos);
  const std::string data = report_data_json(out);
  EXPECT_NE(data.find("\"kind\":\"calibration\""), std::string::npos);
  // Every target and every profile point is in the page's data.
  std::size_t targets = 0, points = 0;
  for (std::size_t at = 0; (at = data.find("\"residual\":", at)) != std::string::npos; ++at)
    ++targets;
  for (std::size_t at = 0; (at = data.find("\"delta\":", at)) != std::string::npos; ++at) ++points;
  EXPECT_EQ(targets, 28u);
  EXPECT_EQ(points, testing::read_csv(out / "profile.csv").size() - 1);
  EXPECT_EQ(points, 33u);  // 3 parameters × 11 points
}

}  // namespace
}  // namespace entente
