#include "sweep/sweep_journal.hpp"
#include <algorithm>

#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "entente/util/diagnostics.hpp"
#include "entente/util/file.hpp"
#include "util/atomic_file.hpp"
#include "util/manifest.hpp"

namespace entente::detail {

namespace fs = std::filesystem;

namespace {

const char* const kOurFiles[] = {
    "design.csv",    "results.csv",        "results.csv.partial",   "progress.json",
    "manifest.json", "design.csv.partial", "manifest.json.partial", "progress.json.partial"};

// The file's bytes, or "" when it cannot be read (the caller then finds no
// valid JSON or CSV and says so).
std::string slurp(const fs::path& p) {
  std::string text, reason;
  return try_read_file(p, text, reason) ? text : std::string();
}

// The identity stored in a progress.json or manifest.json, or empty.
SweepIdentity stored_identity(const fs::path& file) {
  SweepIdentity out;
  const auto o = detail::try_read_json_object(file);
  if (!o) return out;
  const auto* id = o->if_contains("identity");
  if (id == nullptr || !id->is_object()) return out;
  for (const auto& [k, val] : id->as_object()) {
    if (val.is_string()) out.emplace_back(std::string(k), std::string(val.as_string()));
  }
  return out;
}

// The first field of `want` that `have` lacks or holds differently, or "".
std::string first_difference(const SweepIdentity& want, const SweepIdentity& have) {
  for (const auto& [k, v] : want) {
    bool same = false;
    for (const auto& [hk, hv] : have) same = same || (hk == k && hv == v);
    if (!same) return k;
  }
  return "";
}

[[noreturn]] void io_fail(const fs::path& p, const std::string& what) {
  throw std::runtime_error(p.string() + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

SweepJournal::SweepJournal(fs::path dir, SweepIdentity identity, std::string header, bool resume)
    : dir_(std::move(dir)), identity_(std::move(identity)), header_(std::move(header)) {
  buffer_.resize(1 << 20);
  const SourceLocation where{dir_.string(), 0, 0};
  std::error_code ec;
  const bool has_progress = fs::exists(dir_ / "progress.json", ec);
  const bool has_manifest = fs::exists(dir_ / "manifest.json", ec);
  if (resume && (has_progress || has_manifest)) {
    const fs::path record = dir_ / (has_progress ? "progress.json" : "manifest.json");
    const std::string field = first_difference(identity_, stored_identity(record));
    if (!field.empty()) {
      throw InputError(where,
                       "--resume: this directory holds a different sweep (its " + field +
                           " differs); run without --resume to start over, or choose another -o");
    }
    if (!has_progress) {
      complete_ = true;
      return;
    }
    boost::system::error_code jec;
    const boost::json::value v = boost::json::parse(slurp(record), jec);
    const auto& o = v.as_object();
    items_done_ = o.at("items_done").as_int64();
    bytes_ = static_cast<unsigned long long>(o.at("results_bytes").as_int64());
    const fs::path partial = dir_ / "results.csv.partial";
    if (!fs::exists(partial, ec) && fs::exists(dir_ / "results.csv", ec)) {
      complete_ = true;  // killed after the rename, before the manifest
      resumed_ = true;
      return;
    }
    const auto size = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
    if (bytes_ == 0 || ec || size < bytes_) {
      start_fresh();
      return;
    }
    if (::truncate(partial.c_str(), static_cast<off_t>(bytes_)) != 0)
      io_fail(partial, "cannot truncate");
    file_ = std::fopen(partial.c_str(), "ab");
    if (file_ == nullptr) io_fail(partial, "cannot open");
    std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
    resumed_ = true;
    return;
  }
  if (fs::exists(dir_, ec)) {
    if (!fs::is_directory(dir_, ec)) throw InputError(where, "exists and is not a directory");
    // Only files of ours (a start killed before its first progress.json
    // leaves `progress.json.partial`): start over.
    bool only_ours = true;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      only_ours = only_ours && std::any_of(std::begin(kOurFiles), std::end(kOurFiles),
                                           [&](const char* ours) { return name == ours; });
    }
    if (!only_ours && !has_progress && !has_manifest) {
      throw InputError(where,
                       "exists and is not a sweep output (no manifest.json or progress.json); "
                       "choose another -o");
    }
  }
  start_fresh();
}

void SweepJournal::start_fresh() {
  std::error_code ec;
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  fs::create_directories(dir_, ec);
  if (ec) throw InputError(SourceLocation{dir_.string(), 0, 0}, "cannot create: " + ec.message());
  for (const char* name : kOurFiles) fs::remove(dir_ / name, ec);
  items_done_ = 0;
  bytes_ = 0;
  write_progress(0, 0);
  const fs::path partial = dir_ / "results.csv.partial";
  file_ = std::fopen(partial.c_str(), "wb");
  if (file_ == nullptr) io_fail(partial, "cannot create");
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  append(header_);
  checkpoint(0);
}

SweepJournal::~SweepJournal() {
  if (file_ != nullptr) std::fclose(file_);
}

void SweepJournal::append(const std::string& rows) {
  if (rows.empty()) return;
  if (std::fwrite(rows.data(), 1, rows.size(), file_) != rows.size())
    io_fail(dir_ / "results.csv.partial", "write failed");
  bytes_ += rows.size();
}

void SweepJournal::checkpoint(long long items) {
  const fs::path partial = dir_ / "results.csv.partial";
  if (std::fflush(file_) != 0) io_fail(partial, "write failed");
  if (::fsync(::fileno(file_)) != 0) io_fail(partial, "sync failed");
  write_progress(items, bytes_);
  items_done_ = items;
}

void SweepJournal::write_progress(long long items, unsigned long long bytes) {
  boost::json::object id;
  for (const auto& [k, v] : identity_) id[k] = v;
  boost::json::object o;
  o["identity"] = std::move(id);
  o["items_done"] = items;
  o["results_bytes"] = bytes;
  write_file_atomically(dir_ / "progress.json", boost::json::serialize(o) + "\n");
}

void SweepJournal::finish(long long items) {
  if (file_ != nullptr) {
    checkpoint(items);
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) io_fail(dir_ / "results.csv.partial", "close failed");
    std::error_code ec;
    fs::rename(dir_ / "results.csv.partial", dir_ / "results.csv", ec);
    if (ec)
      throw std::runtime_error((dir_ / "results.csv").string() +
                               ": cannot rename: " + ec.message());
  }
}

void SweepJournal::close() {
  std::error_code ec;
  fs::remove(dir_ / "progress.json", ec);
}

}  // namespace entente::detail
