// The catalogue of hostile inputs at the edges of the command line: files
// that are not scenario files, output places that cannot be written, and
// command-line values. Each gets its exact message, exit status 2, and
// nothing written. (Errors inside scenario files are catalogued in
// test_scenario_errors.cpp, `when` errors in test_condition.cpp, a full disk
// and interruptions in test_nothing_lost.cpp.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli_support.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;
using testing::cli;
using testing::fresh_dir;

struct Case {
  std::string name;
  std::string args;      // after `entente`
  std::string expected;  // the whole of stderr
};

class Catalogue : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fresh_dir("catalogue"); }
  fs::path dir_;
  std::string d() const { return dir_.string(); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  void expect_all(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
      const auto r = cli(c.args);
      EXPECT_EQ(r.status, 2) << c.name;
      EXPECT_EQ(r.err, c.expected + "\n") << c.name;
      EXPECT_EQ(r.out, "") << c.name;
    }
    // Nothing was written anywhere by any of them.
    EXPECT_FALSE(fs::exists("out/t")) << "default output directory created";
  }
};

TEST_F(Catalogue, FilesThatAreNotScenarioFiles) {
  write("empty.toml", "");
  {
    std::ofstream(dir_ / "binary.toml", std::ios::binary) << std::string(
        "\x7f"
        "ELF\x02\x01\x01\x00\xff\xfe",
        10);
  }
  { std::ofstream(dir_ / "huge.toml"); }
  fs::resize_file(dir_ / "huge.toml", 100u << 20);  // 100 MB, sparse
  fs::create_directory(dir_ / "adir.toml");
  ASSERT_EQ(::mkfifo((dir_ / "fifo.toml").c_str(), 0600), 0);
  write("deep.toml", "[scenario]\nname = \"t\"\nsteps = 1\nx = " + std::string(300, '[') +
                         std::string(300, ']') + "\n");
  write("deep_tables.toml",
        "[scenario]\nname = \"t\"\nsteps = 1\nx = " + std::string(300 * 3, ' ') + "\n");
  write("crlf.toml", "[scenario]\r\nname = \"t\"\r\nsteps = 0\r\n");
  write("ext_dir.toml", "[scenario]\nname = \"t\"\nsteps = 1\nextends = \"adir.toml\"\n");
  write("ext_self.toml", "[scenario]\nname = \"t\"\nsteps = 1\nextends = \"ext_self.toml\"\n");
  write("ext_missing.toml",
        "[scenario]\nname = \"t\"\nsteps = 1\nextends = \"nowhere/base.toml\"\n");
  write("bom.toml", "\xEF\xBB\xBF[scenario]\nname = \"t\"\nstepz = 1\n");
  write("nul.toml", std::string("[scenario]\nname = \"t\0\"\n", 23));
  expect_all({
      {"empty file", "validate " + d() + "/empty.toml",
       d() + "/empty.toml:1:1: error: missing required table [scenario] (with name and steps)"},
      {"binary file", "validate " + d() + "/binary.toml",
       d() + "/binary.toml:1:8: error: Encountered invalid utf-8 sequence"},
      {"100 MB file", "run " + d() + "/huge.toml",
       d() + "/huge.toml: error: cannot read scenario file: larger than 16 MiB (a scenario file is "
             "a few kilobytes)"},
      {"a directory", "validate " + d() + "/adir.toml",
       d() + "/adir.toml: error: cannot read scenario file: it is a directory"},
      {"a FIFO (would block)", "validate " + d() + "/fifo.toml",
       d() + "/fifo.toml: error: cannot read scenario file: not a regular file"},
      {"missing file", "show " + d() + "/none.toml",
       d() + "/none.toml: error: cannot read scenario file: no such file"},
      {"deep nesting", "validate " + d() + "/deep.toml",
       d() + "/deep.toml:4:261: error: Error while parsing value: exceeded maximum nested value "
             "depth of 256 "
             "(TOML_MAX_NESTED_VALUES)"},
      {"CRLF line ends", "validate " + d() + "/crlf.toml",
       d() + "/crlf.toml:3:9: error: scenario.steps must be >= 1 (got 0)"},
      {"extends a directory", "validate " + d() + "/ext_dir.toml",
       d() + "/ext_dir.toml:4:11: error: cannot read extends file 'adir.toml' (" + d() +
           "/adir.toml): it is a directory"},
      {"extends itself", "validate " + d() + "/ext_self.toml",
       d() + "/ext_self.toml:4:11: error: cyclic extends: " + d() + "/ext_self.toml -> " + d() +
           "/ext_self.toml"},
      {"extends a missing file", "validate " + d() + "/ext_missing.toml",
       d() + "/ext_missing.toml:4:11: error: cannot read extends file 'nowhere/base.toml' (" + d() +
           "/nowhere/base.toml): no such file"},
      {"byte-order mark and a misspelt key", "validate " + d() + "/bom.toml",
       d() + "/bom.toml:3:1: error: unknown key 'stepz' in [scenario] (did you mean 'steps'?)"},
  });
}

TEST_F(Catalogue, OutputPlacesThatCannotBeWritten) {
  write("file", "not a directory");
  expect_all({
      {"-o is a file", "run tests/data/golden/two_actors.toml -q -o " + d() + "/file",
       d() + "/file: error: output path exists and is not a directory; give -o a directory"},
      {"-o under a file", "run tests/data/golden/two_actors.toml -q -o " + d() + "/file/out",
       d() + "/file: error: cannot create output directory: Not a directory"},
      {"-o in /proc", "run tests/data/golden/two_actors.toml -q -o /proc/entente-out",
       "/proc: error: cannot write in output directory: No such file or directory"},
  });
  EXPECT_EQ(testing::slurp(dir_ / "file"), "not a directory");
}

TEST_F(Catalogue, CommandLineValues) {
  const std::string s = "run tests/data/golden/two_actors.toml -q -o " + d() + "/out ";
  expect_all({
      {"NaN through --set", s + "--set model.balance=nan",
       "--set:1:15: error: model.balance must be a finite number (got nan)"},
      {"infinity through --set", s + "--set model.memory=-inf",
       "--set:1:14: error: model.memory must be a finite number (got -inf)"},
      {"out of range through --set", s + "--set actors.A.stubbornness=1.5",
       "--set:1:23: error: actors.A.stubbornness must be in [0, 1] (got 1.5)"},
      {"wrong type through --set", s + "--set scenario.steps=\\\"ten\\\"",
       "--set:1:16: error: scenario.steps must be an integer, not a string"},
      {"unknown id in a --set path", s + "--set actors.C.power=1",
       "--set:1:8: error: unknown actor 'C' in --set path 'actors.C.power' (valid: A, B)"},
      {"--set without =", s + "--set model.balance",
       "--set:1:1: error: override 'model.balance' must have the form PATH=VALUE (e.g. "
       "model.balance=0.05)"},
  });
  // Usage errors: CLI11 words them; the status is 2 and nothing is written.
  for (const char* args : {"--runs -1", "--runs 0", "--runs 1e9", "--threads abc", "--seed -5",
                           "--steps 0", "--no-such-flag"}) {
    const auto r = cli(s + args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_FALSE(r.err.empty()) << args;
  }
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

}  // namespace
}  // namespace entente
