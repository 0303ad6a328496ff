// Merging the shard outputs of a sweep (include/entente/sweep/sweep.hpp,
// docs/cluster.md): every shard of one sweep, each once and complete, into
// the bytes one process writes.
#include <boost/json.hpp>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "entente/sweep/sweep.hpp"
#include "entente/util/diagnostics.hpp"
#include "entente/util/file.hpp"
#include "util/atomic_file.hpp"
#include "util/format.hpp"
#include "util/manifest.hpp"

namespace entente {

namespace {

namespace fs = std::filesystem;

// The file's bytes, or "" when it cannot be read (the caller then finds no
// valid JSON or CSV and says so).
std::string slurp(const fs::path& p) {
  std::string text, reason;
  return try_read_file(p, text, reason) ? text : std::string();
}

using detail::utc_now;

struct Shard {
  fs::path dir;
  boost::json::object manifest;
  boost::json::object identity;  // without "shard"
  long long index = 0, count = 0;
  std::uintmax_t bytes = 0;
};

[[noreturn]] void fail(const fs::path& dir, const std::string& message) {
  throw InputError(SourceLocation{dir.string(), 0, 0}, message);
}

// Reads and checks one shard directory on its own.
Shard read_shard(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) fail(dir, "no such directory");
  if (!fs::exists(dir / "manifest.json", ec)) {
    if (fs::exists(dir / "progress.json", ec))
      fail(dir,
           "incomplete shard (progress.json but no manifest.json): finish it with "
           "`entente sweep SWEEP.toml --shard I/N -o DIR --resume`");
    fail(dir, "not a sweep output (no manifest.json)");
  }
  boost::system::error_code jec;
  const boost::json::value v = boost::json::parse(slurp(dir / "manifest.json"), jec);
  if (jec || !v.is_object()) fail(dir / "manifest.json", "not valid JSON: " + jec.message());
  Shard s;
  s.dir = dir;
  s.manifest = v.as_object();
  const auto* shard = s.manifest.if_contains("shard");
  const auto* identity = s.manifest.if_contains("identity");
  if (shard == nullptr || !shard->is_object() || identity == nullptr || !identity->is_object())
    fail(dir, "not a shard (its manifest.json has no \"shard\"); run with --shard I/N");
  try {
    s.index = shard->as_object().at("index").to_number<long long>();
    s.count = shard->as_object().at("count").to_number<long long>();
    s.bytes = shard->as_object().at("results_bytes").to_number<std::uintmax_t>();
  } catch (const std::exception&) {
    fail(dir / "manifest.json", "\"shard\" lacks index, count or results_bytes");
  }
  s.identity = identity->as_object();
  s.identity.erase("shard");
  if (fs::exists(dir / "progress.json", ec))
    fail(dir, "incomplete shard (progress.json present): finish it with --resume");
  const auto size = fs::file_size(dir / "results.csv", ec);
  if (ec || size != s.bytes)
    fail(dir, "incomplete shard: results.csv holds " +
                  (ec ? std::string("nothing") : std::to_string(size) + " bytes") +
                  ", its manifest says " + std::to_string(s.bytes));
  return s;
}

// The first identity field where `a` and `b` differ, or "".
std::string difference(const boost::json::object& a, const boost::json::object& b) {
  for (const auto& [k, v] : a) {
    const auto* other = b.if_contains(k);
    if (other == nullptr || *other != v) return std::string(k);
  }
  for (const auto& [k, v] : b)
    if (!a.contains(k)) return std::string(k);
  return "";
}

}  // namespace

SweepReport merge_sweep_shards(const std::vector<fs::path>& dirs, const fs::path& out,
                               const std::vector<std::string>& command_line) {
  const std::string started = utc_now();
  if (dirs.empty()) throw InputError(SourceLocation{out.string(), 0, 0}, "no shards to merge");
  std::vector<Shard> shards;
  std::map<long long, std::size_t> by_index;
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    if (fs::weakly_canonical(dir, ec) == fs::weakly_canonical(out, ec))
      fail(out, "is one of the shards; choose another -o");
    Shard s = read_shard(dir);
    if (!shards.empty()) {
      const Shard& first = shards.front();
      const std::string field = difference(first.identity, s.identity);
      if (!field.empty())
        fail(dir, "belongs to a different sweep than " + first.dir.string() + " (its " + field +
                      " differs)");
      if (s.count != first.count)
        fail(dir, "is shard " + std::to_string(s.index) + "/" + std::to_string(s.count) + " but " +
                      first.dir.string() + " is one of " + std::to_string(first.count));
    }
    const auto [it, fresh] = by_index.emplace(s.index, shards.size());
    if (!fresh)
      fail(dir, "duplicate shard " + std::to_string(s.index) + "/" + std::to_string(s.count) +
                    ", already given by " + shards[it->second].dir.string());
    shards.push_back(std::move(s));
  }
  const long long count = shards.front().count;
  std::string missing;
  for (long long i = 0; i < count; ++i)
    if (!by_index.contains(i))
      missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(count);
  if (!missing.empty())
    throw InputError(SourceLocation{out.string(), 0, 0},
                     "cannot merge: shard" +
                         std::string(missing.find(',') == std::string::npos ? " " : "s ") +
                         missing + " missing (given " + std::to_string(shards.size()) + " of " +
                         std::to_string(count) + ")");

  const std::string design = slurp(shards.front().dir / "design.csv");
  detail::StagedDirectory staged(out);
  detail::write_file_atomically(staged.staging() / "design.csv", design);
  detail::AtomicFile results(staged.staging() / "results.csv");
  std::string header;
  for (long long i = 0; i < count; ++i) {
    const Shard& s = shards[by_index.at(i)];
    if (slurp(s.dir / "design.csv") != design)
      fail(s.dir, "its design.csv differs from " + shards.front().dir.string() + "'s");
    std::ifstream in(s.dir / "results.csv", std::ios::binary);
    std::string line;
    std::getline(in, line);
    if (i == 0) {
      header = line;
      results.write(header + "\n");
    } else if (line != header) {
      fail(s.dir, "its results.csv header differs from shard 0's");
    }
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
      results.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  results.commit();

  // The manifest of one process, with the merge's command and times.
  boost::json::object m;
  for (const auto& [k, v] : shards[by_index.at(0)].manifest)
    if (k != "shard") m[k] = v;
  m["identity"] = shards.front().identity;
  m["command"] = detail::command_array(command_line);
  m["resumed"] = false;
  m["started"] = started;
  m["finished"] = utc_now();
  boost::json::array from;
  for (long long i = 0; i < count; ++i)
    from.push_back(boost::json::value(shards[by_index.at(i)].dir.string()));
  m["merged_from"] = std::move(from);
  detail::write_file_atomically(staged.staging() / "manifest.json",
                                boost::json::serialize(m) + "\n");
  staged.commit();

  SweepReport report;
  report.points = m.at("points").to_number<long long>();
  report.runs = m.at("total_runs").to_number<long long>();
  report.files = {"design.csv", "results.csv", "manifest.json"};
  return report;
}

}  // namespace entente
