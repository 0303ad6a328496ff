// The audit log of `entente play`: append-only JSON Lines, each entry
// written with one write(2) and synced, so that a killed session loses at
// most the line being written; and `--resume`, which replays it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "entente/scenario/scenario_io.hpp"
#include "entente/util/file.hpp"
#include "entente/workshop/play.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

std::string read_all(const fs::path& p, bool& ok) {
  std::string text, reason;
  ok = try_read_file(p, text, reason);
  return text;
}

}  // namespace

AuditLog::AuditLog(const fs::path& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError(SourceLocation{path.string(), 0, 0},
                     std::string("cannot open the log for appending: ") + std::strerror(errno));
  }
  // A log whose last line lost its newline gets one, so entries stay lines.
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && st.st_size > 0) {
    const int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    char last = '\n';
    if (rfd >= 0) {
      if (::pread(rfd, &last, 1, st.st_size - 1) != 1) last = '\n';
      ::close(rfd);
    }
    if (last != '\n') write("");
  }
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

void AuditLog::write(const std::string& json_line) {
  const std::string bytes = json_line + "\n";
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw std::runtime_error(std::string("cannot write the log: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd_);
}

void AuditLog::start(const fs::path& scenario_file, const Session& session,
                     const WorkshopOptions& options, const SessionBots& bots) {
  bool ok = false;
  const std::string text = read_all(scenario_file, ok);
  boost::json::object o;
  o["kind"] = "start";
  o["time"] = utc_now();
  o["entente"] = ENTENTE_VERSION;
  o["scenario"] = scenario_file.string();
  std::error_code ec;
  o["scenario_absolute"] = fs::absolute(scenario_file, ec).lexically_normal().string();
  o["sha256"] = detail::sha256_hex(text);
  o["seed"] = session.base().seed;
  o["turn_steps"] = session.turn_steps();
  o["lookahead_runs"] = options.lookahead_runs;
  if (!bots.bots.empty()) {
    boost::json::array ids, teams;
    for (const std::string& id : bots.bots) ids.emplace_back(id);
    for (const std::string& id : bots.teams) teams.emplace_back(id);
    o["bots"] = std::move(ids);
    o["teams"] = std::move(teams);
    o["bot_horizon"] = bots.horizon;
    o["bot_runs"] = bots.runs;
  }
  write(boost::json::serialize(o));
}

void AuditLog::record(const SessionPoint& before, std::string_view line, const CommandResult& r) {
  boost::json::object o;
  o["kind"] = "command";
  o["time"] = utc_now();
  o["turn"] = before.turn;
  o["step"] = before.step;
  o["branch"] = before.branch;
  o["command"] = line;
  o["ok"] = r.ok;
  o["changes"] = r.changes_state;
  if (!r.ok) {
    std::string message = r.output;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    o["error"] = message;
  }
  for (const auto& [key, value] : r.log_fields) o[key] = value;
  write(boost::json::serialize(o));
}

void AuditLog::note(std::string_view kind, std::string_view text) {
  boost::json::object o;
  o["kind"] = kind;
  o["time"] = utc_now();
  o["note"] = text;
  write(boost::json::serialize(o));
}

ResumedSession resume_session(const fs::path& log, const LogEntryHook& on_entry) {
  const std::string name = log.string();
  bool ok = false;
  std::error_code ec;
  if (!fs::is_regular_file(log, ec)) throw InputError({name, 0, 0}, "no such log file");
  const std::string text = read_all(log, ok);
  if (!ok) throw InputError({name, 0, 0}, "cannot read the log");

  // Complete lines, and a last line without its newline when it parses.
  struct Line {
    int number;
    boost::json::object entry;
  };
  std::vector<Line> entries;
  ResumedSession out;
  std::size_t pos = 0;
  int number = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const bool complete = nl != std::string::npos;
    const std::string_view line(text.data() + pos, (complete ? nl : text.size()) - pos);
    ++number;
    boost::system::error_code jec;
    boost::json::value v = boost::json::parse(line, jec);
    if (jec || !v.is_object()) {
      if (!complete) {  // cut in half by a kill: ignore it
        out.cut_last_line = true;
        break;
      }
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
        pos = nl + 1;
        out.good_bytes = pos;
        continue;
      }
      throw InputError({name, number, 1},
                       "not a log entry (a JSON object on one line)" +
                           std::string(complete ? "" : "; the last line is incomplete"));
    }
    entries.push_back({number, std::move(v.as_object())});
    pos = complete ? nl + 1 : text.size();
    out.good_bytes = pos;
  }
  if (entries.empty() || !entries[0].entry.contains("kind") ||
      entries[0].entry.at("kind") != "start") {
    throw InputError({name, 1, 1}, "the log does not begin with a start entry");
  }
  const boost::json::object& start = entries[0].entry;
  const auto str = [&](const boost::json::object& o, const char* key, int line) -> std::string {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string())
      throw InputError({name, line, 1}, std::string("the entry has no string '") + key + "'");
    return std::string(v->as_string());
  };
  const auto integer = [&](const boost::json::object& o, const char* key, int line) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !(v->is_int64() || v->is_uint64()))
      throw InputError({name, line, 1}, std::string("the entry has no integer '") + key + "'");
    return v->is_int64() ? static_cast<std::uint64_t>(v->as_int64()) : v->as_uint64();
  };
  fs::path scenario = str(start, "scenario_absolute", 1);
  if (!fs::exists(scenario, ec)) scenario = str(start, "scenario", 1);
  bool read_ok = false;
  const std::string scenario_text = read_all(scenario, read_ok);
  if (!fs::exists(scenario, ec) || !read_ok)
    throw InputError({name, 1, 1}, "cannot read the session's scenario " + scenario.string());
  if (detail::sha256_hex(scenario_text) != str(start, "sha256", 1)) {
    throw InputError({name, 1, 1}, "the scenario " + scenario.string() +
                                       " changed since the session started (its SHA-256 "
                                       "differs); resume needs the same file");
  }
  Scenario base = load_scenario(scenario).scenario;
  base.seed = integer(start, "seed", 1);
  out.scenario_file = scenario;
  out.options.scenario_file = scenario;
  out.options.lookahead_runs = static_cast<int>(integer(start, "lookahead_runs", 1));
  // Bots came later: a log without them has none.
  const auto ids = [&](const char* key) {
    std::vector<std::string> v;
    const auto* a = start.if_contains(key);
    if (a == nullptr) return v;
    if (!a->is_array())
      throw InputError({name, 1, 1}, std::string("'") + key + "' is not a list of actor ids");
    for (const auto& id : a->as_array()) {
      if (!id.is_string())
        throw InputError({name, 1, 1}, std::string("'") + key + "' is not a list of actor ids");
      v.emplace_back(id.as_string());
    }
    return v;
  };
  out.bots.bots = ids("bots");
  out.bots.teams = ids("teams");
  if (!out.bots.bots.empty()) {
    out.bots.horizon = static_cast<int>(integer(start, "bot_horizon", 1));
    const std::uint64_t horizon = integer(start, "bot_horizon", 1);
    const std::uint64_t runs = integer(start, "bot_runs", 1);
    if (horizon < 1 || horizon > 1000000 || runs < 1 || runs > 100000)
      throw InputError({name, 1, 1},
                       "'bot_horizon' must be in [1, 1000000] and 'bot_runs' in "
                       "[1, 100000]");
    out.bots.horizon = static_cast<int>(horizon);
    out.bots.runs = static_cast<int>(runs);
  }
  out.session =
      std::make_unique<Session>(std::move(base), static_cast<int>(integer(start, "turn_steps", 1)));

  WorkshopOptions replay = out.options;
  replay.replaying = true;
  replay.lookahead_runs = 0;
  Workshop workshop(*out.session, replay);
  for (std::size_t k = 1; k < entries.size(); ++k) {
    const boost::json::object& e = entries[k].entry;
    if (!e.contains("kind") || e.at("kind") != "command") {
      if (on_entry) on_entry(entries[k].number, e, *out.session);
      continue;
    }
    const std::string line = str(e, "command", entries[k].number);
    out.lines.push_back(line);
    const auto* changes = e.if_contains("changes");
    const auto* accepted = e.if_contains("ok");
    const bool replays = changes != nullptr && changes->is_bool() && changes->as_bool() &&
                         accepted != nullptr && accepted->is_bool() && accepted->as_bool();
    if (replays) {
      const CommandResult r = workshop.execute(line);
      if (!r.ok) {
        std::string message = r.output;
        while (!message.empty() && message.back() == '\n') message.pop_back();
        throw InputError({name, entries[k].number, 1}, "cannot replay '" + line + "': " + message);
      }
      ++out.commands;
    }
    if (on_entry) on_entry(entries[k].number, e, *out.session);
  }
  return out;
}

}  // namespace entente
