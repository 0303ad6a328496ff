// Internals of `entente report`: the data of each kind of output directory.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "entente/run/summary.hpp"
#include "entente/scenario/scenario.hpp"
#include "report/json_writer.hpp"
#include "util/csv_reader.hpp"

namespace entente::report_detail {

// Values of several series ("slots": an actor's position on an axis, an
// ordered pair's affinity) at every step of every run of an ensemble, read
// from actors.csv or relations.csv, for their per-step statistics. Memory:
// slots × (steps + 1) × runs doubles.
class EnsembleValues {
 public:
  EnsembleValues(int slots, int steps, int runs);
  // Records one value; throws InputError at the row when the same (slot,
  // step, run) was already recorded.
  void set(int slot, int step, int run, double value, const detail::CsvReader& row, int column);
  // Records one value read from trajectories.nc (one value per cell there).
  void set(int slot, int step, int run, double value);
  // Throws InputError (file `file`) unless every (slot, step, run) was set.
  void check_complete(const std::string& file) const;
  // Statistics over the runs, as summary.csv computes them.
  Stats stats(int slot, int step) const;

 private:
  int steps_, runs_;
  std::vector<double> values_;  // [(slot * (steps + 1) + step) * runs + run]
  std::vector<char> seen_;
};

// Writes the statistics of a slot as `{"mean":[…],"sd":[…],"q":[[p05…],[p25…],
// [p50…],[p75…],[p95…]]}`, one number per step.
void write_series(JsonWriter& w, const std::vector<Stats>& per_step);

// Copies any JSON value (the manifest's members) with JsonWriter's escaping.
void copy_json(JsonWriter& w, const boost::json::value& v);

// What every kind's data begins with: opens the object and writes
// `"format":"entente-report","schema":1,"kind":KIND`.
void begin_report_data(JsonWriter& w, std::string_view kind);
// `"generator":{"engine":"entente","version":…}`.
void write_generator(JsonWriter& w);
// `"manifest":{…}`: the manifest's members but those in `omit` (the texts
// the data carries once elsewhere).
void write_manifest_without(JsonWriter& w, const boost::json::object& manifest,
                            std::initializer_list<std::string_view> omit);

// Parts of a run's report data (engine/report/report_events.cpp): the scenario and
// the manifest (`"scenario"`, `"manifest"`, `"generator"`), the events that
// fired (`"events"`) and the mean driver contributions (`"drivers"`).
void write_scenario(JsonWriter& w, const Scenario& scenario, const boost::json::object& manifest,
                    const std::string& text);
void write_events(JsonWriter& w, const Scenario& scenario, const std::filesystem::path& file,
                  int steps, int runs);
void write_drivers(JsonWriter& w, const Scenario& scenario, const std::filesystem::path& file,
                   int steps, int runs);
// The same for position_drivers.csv: `{"names", "slots"}`, slot i·K + a.
void write_position_drivers(JsonWriter& w, const Scenario& scenario,
                            const std::filesystem::path& file, int steps, int runs);

// "What moved" (engine/report/report_moved.cpp): a position or a relation with its
// ensemble statistics at step 0 and at the last step; `change` is the change
// of the median.
struct Moved {
  std::string name;  // "affinity(ARM,RUS)", "position(ARM,orientation)"
  Stats start, end;
  double change = 0.0;
};
// The `top` entries of `all` with the largest |change| (ties: the earlier
// first), leaving out those whose median did not change.
std::vector<Moved> most_moved(std::vector<Moved> all, std::size_t top);
// `"moved":{"relations":[…],"positions":[…]}`, each entry
// `{"name","change","start":[p05,p50,p95],"end":[p05,p50,p95]}`.
void write_moved(JsonWriter& w, const std::vector<Moved>& relations,
                 const std::vector<Moved>& positions);
inline constexpr std::size_t kMovedRelations = 5;
inline constexpr std::size_t kMovedPositions = 3;

// The report data of a run directory (`entente run`'s output).
std::string run_report_data(const std::filesystem::path& dir, const boost::json::object& manifest);

}  // namespace entente::report_detail
