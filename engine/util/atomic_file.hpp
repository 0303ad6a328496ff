// Files that appear whole or not at all (MODEL.md §6).
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

namespace entente::detail {

// A file written under a temporary name (`NAME.partial`) and renamed to NAME
// by commit(), after its bytes reached the disk. Destroyed without commit(),
// it removes the temporary file. Write failures (a full disk) throw
// std::runtime_error naming the file.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  void commit();
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }

 private:
  std::filesystem::path path_, temporary_;
  static constexpr std::size_t kBufferSize = 1 << 16;
  std::unique_ptr<char[]> buffer_;  // each file its own stdio buffer
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;
};

// Writes a whole file atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// An output directory built beside its final place (`.NAME.partial-PID`) and
// swapped in whole by commit(): an existing directory is replaced only then,
// and only if it is empty or holds a manifest.json (an earlier output), so a
// mistyped -o never deletes someone's files. Destroyed without commit(), it
// removes the staging directory and leaves the old output as it was.
class StagedDirectory {
 public:
  // Throws InputError (file: the directory) when `final_path` exists and may
  // not be replaced, or cannot be created.
  explicit StagedDirectory(std::filesystem::path final_path);
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& final_path() const { return final_; }
  void commit();

 private:
  std::filesystem::path final_, staging_;
  bool committed_ = false;
};

}  // namespace entente::detail
