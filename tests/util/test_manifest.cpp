// The one manifest module (engine/util/manifest.hpp): the fields every
// manifest.json starts with, in their order, and the located refusals of
// read_manifest.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "entente/util/diagnostics.hpp"
#include "util/manifest.hpp"

namespace entente {
namespace {

namespace fs = std::filesystem;

TEST(Manifest, StartsWithEngineVersionKindCommand) {
  EXPECT_EQ(boost::json::serialize(detail::start_manifest({"entente", "sweep", "a b"}, "sweep")),
            std::string("{\"engine\":\"entente\",\"version\":\"") + ENTENTE_VERSION +
                "\",\"kind\":\"sweep\",\"command\":[\"entente\",\"sweep\",\"a b\"]}");
  EXPECT_EQ(boost::json::serialize(detail::start_manifest({"entente", "run"})),
            std::string("{\"engine\":\"entente\",\"version\":\"") + ENTENTE_VERSION +
                "\",\"command\":[\"entente\",\"run\"]}");
}

std::string refusal(const fs::path& dir) {
  try {
    detail::read_manifest(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Manifest, ReadsAnObjectAndRefusesTheRest) {
  const fs::path dir =
      fs::temp_directory_path() / ("entente-test-manifest-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  EXPECT_EQ(refusal(dir),
            dir.string() + ": error: not a directory (expected an entente output directory)");
  fs::create_directories(dir);
  const std::string file = (dir / "manifest.json").string();
  EXPECT_EQ(refusal(dir), file +
                              ": error: no manifest.json: not an entente output directory "
                              "(written by `entente run`)");
  std::ofstream(dir / "manifest.json") << "[1]";
  EXPECT_EQ(refusal(dir), file + ":1:1: error: not a JSON object");
  EXPECT_FALSE(detail::try_read_json_object(dir / "manifest.json"));
  std::ofstream(dir / "manifest.json") << "{\"kind\":\"sweep\"}\n";
  EXPECT_EQ(detail::read_manifest(dir).at("kind").as_string(), "sweep");
  EXPECT_EQ(detail::try_read_json_object(dir / "manifest.json")->at("kind").as_string(), "sweep");
  EXPECT_FALSE(detail::try_read_json_object(dir / "absent.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace entente
