// manifest.json, the provenance record of every output directory: the one
// place that starts one (the fields every manifest begins with) and reads one
// back. Each command adds its own fields after the common ones.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace entente::detail {

// The command line as a JSON array of strings.
boost::json::array command_array(const std::vector<std::string>& command_line);

// A new manifest: "engine": "entente", "version", then "kind" when `kind` is
// not empty, then "command" (the order every manifest.json has today).
boost::json::object start_manifest(const std::vector<std::string>& command_line,
                                   std::string_view kind = {});

// The manifest.json of output directory `dir` as a JSON object. Throws
// InputError when `dir` is not a directory, has no manifest.json or the file
// is not a JSON object.
boost::json::object read_manifest(const std::filesystem::path& dir);

// The JSON object in `file` (a manifest.json or progress.json), or nothing
// when the file is missing, unreadable or not a JSON object.
std::optional<boost::json::object> try_read_json_object(const std::filesystem::path& file);

}  // namespace entente::detail
