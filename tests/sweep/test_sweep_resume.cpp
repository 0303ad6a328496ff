// A sweep killed (SIGKILL, from outside, at arbitrary moments: mid-row,
// mid-checkpoint, mid-rename) and resumed gives the same bytes as one that
// ran through; --resume refuses a different sweep.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using entente::testing::cli;
using entente::testing::fresh_dir;
using entente::testing::slurp;

// Starts `entente sweep FILE -o DIR -q --checkpoint 0 [--resume]`.
pid_t start(const std::string& file, const std::filesystem::path& dir, bool resume) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(ENTENTE_SOURCE_DIR) != 0) ::_exit(127);
    std::freopen("/dev/null", "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    std::vector<std::string> args = {ENTENTE_CLI, "sweep",     file, "-o",           dir.string(),
                                     "-q",        "--threads", "2",  "--checkpoint", "0"};
    if (resume) args.emplace_back("--resume");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(ENTENTE_CLI, argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for the child; returns its exit status, or −signal.
int finish(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(SweepResume, KilledAtRandomMomentsAndResumedEqualsUninterrupted) {
  const std::string file = "tests/data/sweeps/resume.toml";
  const auto dir = fresh_dir("sweep-resume");
  const auto whole = dir / "whole";
  const auto begun = std::chrono::steady_clock::now();
  ASSERT_EQ(finish(start(file, whole, false)), 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();

  // Kill moments at random in the first 15 % of a whole run time after each
  // (re)start, from a fixed seed, so that most land while the sweep runs.
  boost::random::mt19937_64 engine(2024);
  boost::random::uniform_real_distribution<double> when(0.0, seconds);
  const auto cut = dir / "cut";
  int kills = 0, status = -1;
  for (int attempt = 0; attempt < 12 && status != 0; ++attempt) {
    const pid_t pid = start(file, cut, attempt > 0);
    if (attempt < 10) {
      std::this_thread::sleep_for(std::chrono::duration<double>(when(engine) * 0.15));
      ::kill(pid, SIGKILL);
    }
    status = finish(pid);
    kills += status == -SIGKILL;
  }
  ASSERT_EQ(status, 0);
  EXPECT_GE(kills, 3) << "the sweep ended before most kills landed";
  EXPECT_EQ(slurp(cut / "results.csv"), slurp(whole / "results.csv"));
  EXPECT_EQ(slurp(cut / "design.csv"), slurp(whole / "design.csv"));
  EXPECT_FALSE(std::filesystem::exists(cut / "results.csv.partial"));
  EXPECT_FALSE(std::filesystem::exists(cut / "progress.json"));

  // Resuming a complete sweep does nothing; a different sweep is refused.
  const auto again = cli("sweep " + file + " -o '" + cut.string() + "' --resume");
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("already holds this sweep, complete"), std::string::npos) << again.out;
  const auto other = cli("sweep tests/data/sweeps/small.toml -o '" + cut.string() + "' --resume");
  EXPECT_EQ(other.status, 2);
  EXPECT_NE(other.err.find(
                cut.string() +
                ": error: --resume: this directory holds a different sweep (its seed differs); "
                "run without --resume to start over, or choose another -o\n"),
            std::string::npos)
      << other.err;
  std::filesystem::remove_all(dir);
}

TEST(SweepResume, AStartKilledBeforeItsFirstCheckpointIsResumedFromScratch) {
  // Killed while writing its first progress.json: only the temporary file is
  // left. Found by CI, where a kill landed in the first milliseconds.
  const auto dir = fresh_dir("sweep-early-kill");
  const auto whole = dir / "whole", cut = dir / "cut";
  ASSERT_EQ(finish(start("tests/data/sweeps/resume.toml", whole, false)), 0);
  std::filesystem::create_directories(cut);
  std::ofstream(cut / "progress.json.partial") << "{\"identity\":";
  ASSERT_EQ(finish(start("tests/data/sweeps/resume.toml", cut, true)), 0);
  EXPECT_EQ(slurp(cut / "results.csv"), slurp(whole / "results.csv"));
  EXPECT_FALSE(std::filesystem::exists(cut / "progress.json.partial"));
  std::filesystem::remove_all(dir);
}

TEST(SweepResume, RefusesADirectoryThatIsNotASweepOutput) {
  const auto dir = fresh_dir("sweep-foreign");
  std::ofstream(dir / "notes.txt") << "mine\n";
  const auto r = cli("sweep tests/data/sweeps/small.toml -o '" + dir.string() + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("is not a sweep output"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir / "notes.txt"), "mine\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
