// The one whole-file reader (include/entente/util/file.hpp): what it reads,
// and the reason it gives for everything it refuses.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "entente/util/diagnostics.hpp"
#include "entente/util/file.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

class ReadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("entente-test-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  std::string refusal(const fs::path& p, std::uintmax_t max = 1u << 20) {
    std::string out, reason;
    EXPECT_FALSE(try_read_file(p, out, reason, max));
    return reason;
  }
  fs::path dir_;
};

TEST_F(ReadFile, ReadsEveryByte) {
  const std::string bytes("a\0b\r\n\xff", 6);
  std::string out, reason;
  ASSERT_TRUE(try_read_file(write("x.bin", bytes), out, reason));
  EXPECT_EQ(out, bytes);
  EXPECT_EQ(read_file(dir_ / "x.bin"), bytes);
}

TEST_F(ReadFile, EmptyFileIsEmpty) {
  EXPECT_EQ(read_file(write("empty", "")), "");
}

TEST_F(ReadFile, SaysWhyItRefuses) {
  EXPECT_EQ(refusal(dir_ / "missing"), "no such file");
  EXPECT_EQ(refusal(dir_), "it is a directory");
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(refusal(dir_ / "fifo"), "not a regular file");  // and does not block on it
  EXPECT_EQ(refusal(write("big", std::string(2048, 'x')), 1024), "larger than 1 KiB");
  EXPECT_EQ(refusal(write("big2", std::string(3u << 20, 'x')), 2u << 20), "larger than 2 MiB");
  EXPECT_EQ(refusal(write("big3", "12345"), 4), "larger than 4 bytes");
}

TEST_F(ReadFile, ThrowsAtTheFileWithWhatItIs) {
  try {
    (void)read_file(dir_ / "missing.toml", "a sweep file");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, (dir_ / "missing.toml").string());
    EXPECT_EQ(e.where().line, 0);
    EXPECT_EQ(std::string(e.what()), (dir_ / "missing.toml").string() +
                                         ": error: cannot read it (a sweep file): no such file");
  }
  try {
    (void)read_file(dir_);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir_.string() + ": error: cannot read it: it is a directory");
  }
}

}  // namespace
}  // namespace entente
