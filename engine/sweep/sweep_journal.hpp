// The resumable results file of a sweep: rows are appended to
// `results.csv.partial`; at each checkpoint the bytes are flushed and synced
// and `progress.json` (written atomically) records the sweep's identity, how
// many work items are complete and the byte length they occupy. A resume
// truncates the partial file to that length, so whatever a kill left after
// the last checkpoint (even half a row) is dropped and recomputed; the final
// rename makes results.csv appear whole.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace entente::detail {

// What makes two sweeps the same: (field, value) pairs compared one by one.
using SweepIdentity = std::vector<std::pair<std::string, std::string>>;

class SweepJournal {
 public:
  // Prepares `dir`. Fresh (resume false): `dir` must be absent, empty or an
  // earlier output (it holds manifest.json or progress.json); our files in it
  // are removed. Resume: progress.json must match `identity` (InputError
  // naming the first field that differs); without one, a complete sweep with
  // the same identity is reported as done, and anything else starts fresh.
  // Throws InputError for a directory that may not be used.
  SweepJournal(std::filesystem::path dir, SweepIdentity identity, std::string header, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // Work items already complete on disk (0 for a fresh sweep).
  long long items_done() const { return items_done_; }
  // True when the directory already holds this sweep, complete.
  bool complete() const { return complete_; }
  bool resumed() const { return resumed_; }

  void append(const std::string& rows);
  // Makes everything appended so far durable and records `items_done`.
  // Throws std::runtime_error when writing fails.
  void checkpoint(long long items_done);
  // Checkpoints `items` and renames results.csv.partial to results.csv.
  void finish(long long items);
  // Removes progress.json (after the manifest is written).
  void close();

  const std::filesystem::path& dir() const { return dir_; }

 private:
  void write_progress(long long items, unsigned long long bytes);
  void start_fresh();

  std::filesystem::path dir_;
  SweepIdentity identity_;
  std::string header_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  unsigned long long bytes_ = 0;
  long long items_done_ = 0;
  bool complete_ = false;
  bool resumed_ = false;
};

}  // namespace entente::detail
