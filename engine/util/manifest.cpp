#include "util/manifest.hpp"

#include "entente/util/diagnostics.hpp"
#include "entente/util/file.hpp"

namespace entente::detail {

boost::json::array command_array(const std::vector<std::string>& command_line) {
  boost::json::array command;
  for (const auto& a : command_line) command.push_back(boost::json::value(a));
  return command;
}

boost::json::object start_manifest(const std::vector<std::string>& command_line,
                                   std::string_view kind) {
  boost::json::object m;
  m["engine"] = "entente";
  m["version"] = ENTENTE_VERSION;
  if (!kind.empty()) m["kind"] = kind;
  m["command"] = command_array(command_line);
  return m;
}

boost::json::object read_manifest(const std::filesystem::path& dir) {
  const auto path = dir / "manifest.json";
  const std::string file = path.string();
  if (!std::filesystem::is_directory(dir)) {
    throw InputError({dir.string(), 0, 0},
                     "not a directory (expected an entente output directory)");
  }
  std::string text, reason;
  if (!try_read_file(path, text, reason)) {
    throw InputError(
        {file, 0, 0},
        "no manifest.json: not an entente output directory (written by `entente run`)");
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    throw InputError({file, 1, 1}, "not a JSON object" + (ec ? " (" + ec.message() + ")" : ""));
  }
  return std::move(value.get_object());
}

std::optional<boost::json::object> try_read_json_object(const std::filesystem::path& file) {
  std::string text, reason;
  if (!try_read_file(file, text, reason)) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

}  // namespace entente::detail
