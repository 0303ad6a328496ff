// "What moved": the positions and relations whose median changed most from
// the first step to the last, with their 5–95 % bands (engine/report/run_data.hpp).
#include <algorithm>
#include <cmath>

#include "report/run_data.hpp"

namespace entente::report_detail {

std::vector<Moved> most_moved(std::vector<Moved> all, std::size_t top) {
  std::erase_if(all, [](const Moved& m) { return m.change == 0.0; });
  std::stable_sort(all.begin(), all.end(), [](const Moved& a, const Moved& b) {
    return std::abs(a.change) > std::abs(b.change);
  });
  if (all.size() > top) all.resize(top);
  return all;
}

namespace {

void write_list(JsonWriter& w, const std::vector<Moved>& list) {
  w.begin_array();
  for (const Moved& m : list) {
    w.begin_object();
    w.key("name");
    w.value(m.name);
    w.key("change");
    w.value(m.change);
    const auto band = [](const Stats& s) {
      return std::vector<double>{s.quantile[0], s.quantile[2], s.quantile[4]};
    };
    w.key("start");
    w.numbers(band(m.start));
    w.key("end");
    w.numbers(band(m.end));
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_moved(JsonWriter& w, const std::vector<Moved>& relations,
                 const std::vector<Moved>& positions) {
  w.key("moved");
  w.begin_object();
  w.key("relations");
  write_list(w, relations);
  w.key("positions");
  write_list(w, positions);
  w.end_object();
}

}  // namespace entente::report_detail
