#include "util/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "entente/util/diagnostics.hpp"

namespace entente::detail {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const fs::path& p, const std::string& what) {
  throw std::runtime_error(p.string() + ": " + what + ": " + std::strerror(errno));
}
}  // namespace

AtomicFile::AtomicFile(fs::path path) : path_(std::move(path)) {
  temporary_ = path_;
  temporary_ += ".partial";
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr) fail(path_, "cannot create");
  buffer_ = std::make_unique<char[]>(kBufferSize);
  std::setvbuf(file_, buffer_.get(), _IOFBF, kBufferSize);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    fs::remove(temporary_, ignored);
  }
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    fail(path_, "write failed");
  size_ += bytes.size();
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0) fail(path_, "write failed");
  if (::fsync(::fileno(file_)) != 0) fail(path_, "sync failed");
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) fail(path_, "close failed");
  std::error_code ec;
  fs::rename(temporary_, path_, ec);
  if (ec) {
    fs::remove(temporary_, ec);
    throw std::runtime_error(path_.string() + ": cannot rename into place: " + ec.message());
  }
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

namespace {

bool process_alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

// Tidies what a killed writer left beside `final_path`: staging directories
// of processes that no longer run are removed, and an earlier output that was
// moved aside (`.NAME.old-PID`) is put back when the new one never arrived.
void recover(const fs::path& final_path) {
  std::error_code ec;
  const fs::path parent = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  const std::string name = final_path.filename().string();
  const std::string partial = "." + name + ".partial-", old = "." + name + ".old-";
  std::vector<fs::path> stale_partial, stale_old;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    for (const auto* prefix : {&partial, &old}) {
      if (entry.rfind(*prefix, 0) != 0) continue;
      const long pid = std::strtol(entry.c_str() + prefix->size(), nullptr, 10);
      if (!process_alive(pid))
        (prefix == &partial ? stale_partial : stale_old).push_back(it->path());
    }
  }
  for (const auto& p : stale_partial) fs::remove_all(p, ec);
  for (const auto& p : stale_old) {
    if (!fs::exists(final_path, ec))
      fs::rename(p, final_path, ec);
    else
      fs::remove_all(p, ec);
  }
}

}  // namespace

StagedDirectory::StagedDirectory(fs::path final_path) : final_(std::move(final_path)) {
  std::error_code ec;
  if (final_.filename().empty()) final_ = final_.parent_path();  // "out/x/" → "out/x"
  const SourceLocation where{final_.string(), 0, 0};
  recover(final_);
  if (fs::exists(final_, ec)) {
    if (!fs::is_directory(final_, ec)) {
      throw InputError(where, "output path exists and is not a directory; give -o a directory");
    }
    const bool empty = fs::is_empty(final_, ec);
    if (!empty && !fs::exists(final_ / "manifest.json", ec)) {
      throw InputError(where,
                       "output directory exists and is not an entente output (no manifest.json); "
                       "refusing to replace it — choose another -o or remove it");
    }
  }
  const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec)
    throw InputError({parent.string(), 0, 0}, "cannot create output directory: " + ec.message());
  staging_ = parent / ("." + final_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec)
    throw InputError({parent.string(), 0, 0}, "cannot write in output directory: " + ec.message());
}

StagedDirectory::~StagedDirectory() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
  }
}

void StagedDirectory::commit() {
  std::error_code ec;
  fs::path old;
  if (fs::exists(final_, ec)) {
    old = final_.parent_path() /
          ("." + final_.filename().string() + ".old-" + std::to_string(::getpid()));
    fs::remove_all(old, ec);
    fs::rename(final_, old, ec);
    if (ec)
      throw std::runtime_error(final_.string() +
                               ": cannot move the old output aside: " + ec.message());
  }
  fs::rename(staging_, final_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, final_, ec);
    throw std::runtime_error(final_.string() + ": cannot move the new output into place");
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace entente::detail
