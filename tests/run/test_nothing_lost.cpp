// A run killed at any moment leaves either the previous complete output or
// the new complete output under the final name, never a partial file; Ctrl-C
// stops cleanly and says what was kept; a full disk fails with a message and
// leaves nothing behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "cli_support.hpp"

extern char** environ;

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::fresh_dir;
using testing::slurp;

pid_t spawn_cli(const std::vector<std::string>& args, const fs::path& err_file) {
  std::vector<std::string> all{ENTENTE_CLI};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, ENTENTE_CLI, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// The directory is a complete entente output: the manifest lists exactly the
// files present, with their sizes.
void expect_complete(const fs::path& dir) {
  ASSERT_TRUE(fs::exists(dir / "manifest.json")) << dir;
  const auto manifest = boost::json::parse(slurp(dir / "manifest.json")).as_object();
  std::set<std::string> listed;
  for (const auto& f : manifest.at("files").as_array()) {
    const auto& entry = f.as_object();
    const std::string name(entry.at("name").as_string());
    listed.insert(name);
    if (entry.contains("bytes")) {
      EXPECT_EQ(fs::file_size(dir / name), entry.at("bytes").to_number<std::uintmax_t>()) << name;
    }
  }
  std::set<std::string> present;
  for (const auto& e : fs::directory_iterator(dir)) present.insert(e.path().filename().string());
  EXPECT_EQ(listed, present);
}

TEST(NothingLost, KilledAtRandomMomentsTheOutputIsOldOrNewAndWhole) {
  const fs::path root = fresh_dir("kill");
  const fs::path out = root / "out";
  ASSERT_EQ(testing::cli("run tests/data/noisy.toml -q -o " + out.string()).status, 0);
  const std::string old_relations = slurp(out / "relations.csv");
  const std::vector<std::string> args{
      "run", "tests/data/noisy.toml", "-q", "--runs", "4000", "--drivers", "-o", out.string()};
  // How long an uninterrupted run takes here, to spread the kills over it.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(WEXITSTATUS(wait_status(spawn_cli(args, root / "err"))), 0);
  const double full_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const std::string new_relations = slurp(out / "relations.csv");
  ASSERT_NE(new_relations, old_relations);
  // Back to the old output, then kill new runs at random moments.
  ASSERT_EQ(testing::cli("run tests/data/noisy.toml -q -o " + out.string()).status, 0);
  std::mt19937 gen(12345);
  std::uniform_real_distribution<double> when(0.0, 1.1 * full_ms);
  int saw_old = 0, saw_new = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const pid_t pid = spawn_cli(args, root / "err");
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(when(gen)));
    kill(pid, SIGKILL);
    wait_status(pid);
    expect_complete(out);
    const std::string now = slurp(out / "relations.csv");
    EXPECT_TRUE(now == old_relations || now == new_relations) << "trial " << trial;
    (now == old_relations ? saw_old : saw_new) += 1;
    if (now == new_relations) {  // restore the old output for the next trial
      ASSERT_EQ(testing::cli("run tests/data/noisy.toml -q -o " + out.string()).status, 0);
    }
  }
  EXPECT_GT(saw_old, 0);
  // The next run tidies what the killed ones left beside the output.
  ASSERT_EQ(testing::cli("run tests/data/noisy.toml -q -o " + out.string()).status, 0);
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "out" || name == "err") << name;
  }
}

TEST(NothingLost, CtrlCStopsCleanlyAndKeepsThePreviousOutput) {
  const fs::path root = fresh_dir("sigint");
  const fs::path out = root / "out";
  ASSERT_EQ(testing::cli("run tests/data/noisy.toml -q -o " + out.string()).status, 0);
  const std::string before = slurp(out / "relations.csv");
  const pid_t pid =
      spawn_cli({"run", "tests/data/noisy.toml", "-q", "--runs", "2000000", "-o", out.string()},
                root / "err");
  // Ctrl-C once the run is under way (its staging directory beside the
  // output exists), however long the process took to start: a sanitized
  // binary on a loaded machine needs more than half a second.
  const auto started = [&] {
    for (const auto& e : fs::directory_iterator(root)) {
      const std::string name = e.path().filename().string();
      if (name != "out" && name != "err") return true;
    }
    return false;
  };
  for (int i = 0; i < 600 && !started(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(pid, SIGINT);
  const int status = wait_status(pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string err = slurp(root / "err");
  EXPECT_NE(err.find("entente: interrupted after "), std::string::npos) << err;
  EXPECT_NE(err.find(" of 2000000 runs; nothing was written and " + out.string() + " is as it was"),
            std::string::npos)
      << err;
  EXPECT_EQ(slurp(out / "relations.csv"), before);
  expect_complete(out);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root)) ++entries;
  EXPECT_EQ(entries, 2);  // out and err: no staging left
}

TEST(NothingLost, AFullDiskFailsWithAMessageAndLeavesNothing) {
  const fs::path root = fresh_dir("full");
  // A file-size limit of 100 KiB stands for a disk that fills up mid-run.
  const std::string command = std::string("cd '") + ENTENTE_SOURCE_DIR + "' && ulimit -f 100 && '" +
                              ENTENTE_CLI + "' run tests/data/noisy.toml -q --runs 500 -o '" +
                              (root / "full").string() + "' 2>'" + (root / "err").string() + "'";
  const int raw = std::system(("bash -c \"" + command + "\"").c_str());
  EXPECT_EQ(WEXITSTATUS(raw), 1);
  const std::string err = slurp(root / "err");
  EXPECT_EQ(err.rfind("entente: error: ", 0), 0u) << err;
  EXPECT_NE(err.find("File too large"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(root / "full"));
  for (const auto& e : fs::directory_iterator(root)) {
    EXPECT_EQ(e.path().filename().string().find("partial"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace entente
