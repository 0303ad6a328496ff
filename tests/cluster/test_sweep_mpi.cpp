// MPI sweeps (built only with ENTENTE_HAVE_MPI): `mpirun -n K entente sweep`
// writes the bytes of one process for K = 2 and 3 (oversubscribed, as root in
// CI); a worker rank killed mid-sweep followed by --resume loses nothing; a
// failing rank 0 ends the job instead of leaving the workers waiting.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "cli_support.hpp"

namespace {

// In sanitizer builds: Open MPI never frees what MPI_Init allocates, in
// components it unloads (so no suppression can name them); leaks are checked
// by the single-process sweep tests, everything else by ASan and UBSan here.
// The setting must win over an ASAN_OPTIONS the test runner set (the dev
// preset sets detect_leaks=1): later options override earlier ones.
[[maybe_unused]] const int kNoLeakCheck = [] {
  const char* given = std::getenv("ASAN_OPTIONS");
  const std::string options =
      std::string(given ? given : "") + (given && *given ? ":" : "") + "detect_leaks=0";
  return ::setenv("ASAN_OPTIONS", options.c_str(), 1);
}();

using entente::testing::fresh_dir;
using entente::testing::slurp;

const std::string kFile = "tests/data/sweeps/small.toml";

int mpirun(int ranks, const std::string& args) {
  const std::string command = std::string("cd '") + ENTENTE_SOURCE_DIR + "' && '" +
                              ENTENTE_MPIEXEC + "' --allow-run-as-root --oversubscribe -n " +
                              std::to_string(ranks) + " '" + ENTENTE_CLI + "' " + args +
                              " >/dev/null 2>&1 </dev/null";
  const int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

TEST(SweepMpi, RanksWriteTheBytesOfOneProcess) {
  const auto dir = fresh_dir("sweep-mpi");
  const auto one =
      entente::testing::cli("sweep " + kFile + " -q -o '" + (dir / "one").string() + "'");
  ASSERT_EQ(one.status, 0) << one.err;
  const std::string expected = slurp(dir / "one" / "results.csv");
  ASSERT_FALSE(expected.empty());
  for (const int ranks : {2, 3}) {
    const auto out = dir / ("mpi" + std::to_string(ranks));
    ASSERT_EQ(mpirun(ranks, "sweep " + kFile + " -q -o '" + out.string() + "'"), 0) << ranks;
    EXPECT_EQ(slurp(out / "results.csv"), expected) << ranks << " ranks";
    EXPECT_EQ(slurp(out / "design.csv"), slurp(dir / "one" / "design.csv"));
    EXPECT_FALSE(std::filesystem::exists(out / "progress.json"));
  }
  std::filesystem::remove_all(dir);
}

TEST(SweepMpi, ResumesWhatAKilledRunLeft) {
  // What a sweep killed mid-way leaves (results.csv.partial cut mid-row,
  // progress.json at an earlier checkpoint) is made from a finished one;
  // rank 0 owns the journal, so --resume under mpirun is the usual resume.
  const auto dir = fresh_dir("sweep-mpi-resume");
  const auto one = dir / "one", cut = dir / "cut";
  ASSERT_EQ(entente::testing::cli("sweep " + kFile + " -q -o '" + one.string() + "'").status, 0);
  ASSERT_EQ(mpirun(3, "sweep " + kFile + " -q --checkpoint 0 -o '" + cut.string() + "'"), 0);
  const std::string whole = slurp(cut / "results.csv");
  // Keep the header and 5 points (15 rows) as checkpointed, plus half a row.
  std::size_t at = 0;
  for (int line = 0; line < 16; ++line) at = whole.find('\n', at) + 1;
  std::string manifest = slurp(cut / "manifest.json");
  const auto id0 = manifest.find("\"identity\":");
  const auto id1 = manifest.find('}', id0);
  std::ofstream(cut / "progress.json") << "{" << manifest.substr(id0, id1 + 1 - id0)
                                       << ",\"items_done\":5,\"results_bytes\":" << at << "}\n";
  std::ofstream(cut / "results.csv.partial", std::ios::binary) << whole.substr(0, at + 7);
  std::filesystem::remove(cut / "results.csv");
  std::filesystem::remove(cut / "manifest.json");
  ASSERT_EQ(mpirun(2, "sweep " + kFile + " -q --resume -o '" + cut.string() + "'"), 0);
  EXPECT_EQ(slurp(cut / "results.csv"), slurp(one / "results.csv"));
  EXPECT_NE(slurp(cut / "manifest.json").find("\"resumed\":true"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// The pid of the child of `parent` whose environment says it is MPI rank
// `rank`, or 0.
pid_t rank_pid(pid_t parent, int rank) {
  const std::string want = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = slurp(entry.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    int ppid = 0;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2 || ppid != parent)
      continue;
    std::string env = slurp(entry.path() / "environ");
    std::replace(env.begin(), env.end(), '\0', '\n');
    if (("\n" + env).find("\n" + want + "\n") != std::string::npos) return std::stoi(name);
  }
  return 0;
}

TEST(SweepMpi, AWorkerKilledMidSweepThenResumeLosesNothing) {
  const std::string file = "tests/data/sweeps/mpi_kill.toml";
  const auto dir = fresh_dir("sweep-mpi-kill");
  const auto one = dir / "one", cut = dir / "cut";
  ASSERT_EQ(
      entente::testing::cli("sweep " + file + " -q --threads 2 -o '" + one.string() + "'").status,
      0);
  const pid_t mpirun_pid = ::fork();
  if (mpirun_pid == 0) {
    if (::chdir(ENTENTE_SOURCE_DIR) != 0) ::_exit(127);
    std::freopen("/dev/null", "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    const std::string out = cut.string();
    ::execl(ENTENTE_MPIEXEC, ENTENTE_MPIEXEC, "--allow-run-as-root", "--oversubscribe", "-n", "3",
            ENTENTE_CLI, "sweep", file.c_str(), "-q", "--checkpoint", "0", "-o", out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Once rows have been checkpointed, kill worker rank 1.
  pid_t worker = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string progress = slurp(cut / "progress.json");
    const auto at = progress.find("\"items_done\":");
    if (at != std::string::npos && std::atoll(progress.c_str() + at + 13) > 0 &&
        (worker = rank_pid(mpirun_pid, 1)) > 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_GT(worker, 0) << "no checkpoint or no rank 1 seen";
  ::kill(worker, SIGKILL);
  int status = 0;
  ::waitpid(mpirun_pid, &status, 0);
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the job outlived its worker";
  ASSERT_FALSE(std::filesystem::exists(cut / "manifest.json")) << "the sweep ended before the kill";
  ASSERT_TRUE(std::filesystem::exists(cut / "progress.json"));
  ASSERT_EQ(mpirun(2, "sweep " + file + " -q --resume -o '" + cut.string() + "'"), 0);
  EXPECT_EQ(slurp(cut / "results.csv"), slurp(one / "results.csv"));
  EXPECT_NE(slurp(cut / "manifest.json").find("\"resumed\":true"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(SweepMpi, AFailingRankZeroEndsTheJob) {
  // Rank 0 refuses the directory; the workers must not wait for it forever.
  const auto dir = fresh_dir("sweep-mpi-refused");
  std::ofstream(dir / "notes.txt") << "mine\n";
  EXPECT_EQ(mpirun(3, "sweep " + kFile + " -q -o '" + dir.string() + "'"), 2);
  EXPECT_EQ(slurp(dir / "notes.txt"), "mine\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
