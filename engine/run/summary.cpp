#include "entente/run/summary.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace entente {

double quantile_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) return 0.0;
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= v.size()) return v.back();
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

Stats compute_stats(std::vector<double>& values) {
  Stats s;
  const std::size_t n = values.size();
  if (n == 0) return s;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(n);
  if (n > 1) {
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(n - 1));
  }
  std::sort(values.begin(), values.end());
  for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
    s.quantile[k] = quantile_sorted(values, kSummaryQuantiles[k]);
  }
  return s;
}

namespace {

// Puts the values of the sorted ranks [lo, hi) (all in [first, last)) in
// their sorted places: the middle rank first, then each side on its own part,
// so that the work is about n log(ranks) rather than n log n.
void select_ranks(double* v, std::size_t first, std::size_t last, const std::size_t* lo,
                  const std::size_t* hi) {
  if (lo == hi) return;
  const std::size_t* mid = lo + (hi - lo) / 2;
  const std::size_t r = *mid;
  if (r == first) {
    std::iter_swap(v + r, std::min_element(v + first, v + last));
  } else if (r + 1 == last) {
    std::iter_swap(v + r, std::max_element(v + first, v + last));
  } else {
    std::nth_element(v + first, v + r, v + last);
  }
  select_ranks(v, first, r, lo, mid);
  select_ranks(v, r + 1, last, mid + 1, hi);
}

// The order statistics `ranks` (sorted, unique) of `v` into `out`, by
// buckets: the values are counted into 1,024 buckets of equal width between
// the minimum and the maximum (the bucket of x, ⌊(x − min) · scale⌋, never
// decreases as x grows, so bucket order is value order), and only the
// buckets holding a wanted rank are selected in (std::nth_element). Two to
// four times faster than select_ranks. The values found are those a sort
// puts at the ranks: equal doubles have equal bits, except 0 and −0, so a
// sample holding both zeros (or a non-finite value) is left to select_ranks
// (false), whose choice between them today's files show.
bool order_statistics_by_buckets(const std::vector<double>& v, const std::size_t* ranks,
                                 std::size_t count, double* out) {
  constexpr std::size_t kBuckets = 1024;
  double lo = v[0], hi = v[0];
  bool plus_zero = false, minus_zero = false, finite = true;
  for (double x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    finite = finite && std::isfinite(x);
    if (x == 0.0) (std::signbit(x) ? minus_zero : plus_zero) = true;
  }
  if (!finite || (plus_zero && minus_zero)) return false;
  if (lo == hi) {
    std::fill_n(out, count, v[0]);
    return true;
  }
  const double scale = static_cast<double>(kBuckets) / (hi - lo);
  if (!std::isfinite(scale) || !std::isfinite(hi - lo)) return false;
  const auto bucket = [&](double x) {
    return std::min(kBuckets - 1, static_cast<std::size_t>((x - lo) * scale));
  };
  std::array<std::size_t, kBuckets + 1> start{};
  for (double x : v) ++start[bucket(x) + 1];
  for (std::size_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  // The wanted buckets, each once, and where their values go in `held`.
  std::array<std::size_t, kBuckets> slot;
  slot.fill(SIZE_MAX);
  std::vector<std::size_t> wanted;
  std::size_t held_size = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t b =
        static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), ranks[k]) -
                                 start.begin()) -
        1;
    if (slot[b] == SIZE_MAX) {
      slot[b] = held_size;
      held_size += start[b + 1] - start[b];
      wanted.push_back(b);
    }
  }
  std::vector<double> held(held_size);
  std::vector<std::size_t> fill(kBuckets, 0);
  for (double x : v) {
    const std::size_t b = bucket(x);
    if (slot[b] != SIZE_MAX) held[slot[b] + fill[b]++] = x;
  }
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t b =
        static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), ranks[k]) -
                                 start.begin()) -
        1;
    double* first = held.data() + slot[b];
    double* last = first + (start[b + 1] - start[b]);
    double* nth = first + (ranks[k] - start[b]);
    std::nth_element(first, nth, last);
    out[k] = *nth;
  }
  return true;
}

// compute_stats without the full sort (2.5× faster at 5,000 runs): the quantiles need only the
// order statistics ⌊h⌋ and ⌊h⌋ + 1 of each p (h = (n − 1) p), which selections put in their sorted
// places (std::nth_element, select_ranks). The quantiles read the same values as after a sort, so
// their bits are the same; equal values (0 and −0 included) are interchangeable for the sum
// quantile_sorted computes. With a NaN, whose place a sort leaves to the
// algorithm, it sorts as compute_stats does.
Stats stats_by_selection(std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 64 || std::any_of(values.begin(), values.end(), [](double x) { return std::isnan(x); }))
    return compute_stats(values);
  Stats s;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(n);
  double ss = 0.0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(n - 1));
  std::array<std::size_t, 2 * kSummaryQuantiles.size()> ranks{};
  for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
    const double h = (static_cast<double>(n) - 1.0) * kSummaryQuantiles[k];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    ranks[2 * k] = lo;
    ranks[2 * k + 1] = std::min(lo + 1, n - 1);
  }
  std::sort(ranks.begin(), ranks.end());
  const auto end = std::unique(ranks.begin(), ranks.end());
  const auto count = static_cast<std::size_t>(end - ranks.begin());
  std::array<double, 2 * kSummaryQuantiles.size()> at{};
  if (order_statistics_by_buckets(values, ranks.data(), count, at.data())) {
    // quantile_sorted's arithmetic on the order statistics found.
    const auto value = [&](std::size_t rank) {
      return at[static_cast<std::size_t>(std::find(ranks.begin(), end, rank) - ranks.begin())];
    };
    for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
      const double h = (static_cast<double>(n) - 1.0) * kSummaryQuantiles[k];
      const auto lo = static_cast<std::size_t>(std::floor(h));
      if (lo + 1 >= n) {
        s.quantile[k] = value(n - 1);
      } else {
        const double a = value(lo), b = value(lo + 1);
        s.quantile[k] = a + (h - static_cast<double>(lo)) * (b - a);
      }
    }
    return s;
  }
  select_ranks(values.data(), 0, n, ranks.data(), end);
  for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
    s.quantile[k] = quantile_sorted(values, kSummaryQuantiles[k]);
  }
  return s;
}

}  // namespace

SummaryAccumulator::SummaryAccumulator(std::vector<Observable> observables, int steps, int runs,
                                       std::filesystem::path spill_directory,
                                       std::size_t memory_budget)
    : observables_(std::move(observables)),
      steps_(steps),
      runs_(runs),
      spill_directory_(std::move(spill_directory)),
      budget_(std::max<std::size_t>(memory_budget, 1)) {
  const std::size_t per_run = std::max<std::size_t>(cells(), 1) * sizeof(double);
  const auto all = static_cast<std::size_t>(std::max(runs, 1));
  // Everything in one block when it fits (or may not spill); else blocks of
  // an eighth of the budget (held twice while a block is transposed), the
  // rest left for finish().
  if (spill_directory_.empty() || all * per_run <= budget_) {
    block_runs_ = static_cast<int>(all);
  } else {
    block_runs_ = static_cast<int>(std::clamp<std::size_t>(budget_ / 8 / per_run, 1, all));
  }
  // Not zeroed: every value is recorded before it is read.
  values_ = detail::make_huge_array<double>(static_cast<std::size_t>(block_runs_) *
                                            std::max<std::size_t>(cells(), 1));
}

SummaryAccumulator::SummaryAccumulator(SummaryAccumulator&& o) noexcept
    : observables_(std::move(o.observables_)),
      steps_(o.steps_),
      runs_(o.runs_),
      spill_directory_(std::move(o.spill_directory_)),
      budget_(o.budget_),
      block_runs_(o.block_runs_),
      block_start_(o.block_start_),
      blocks_written_(o.blocks_written_),
      values_(std::move(o.values_)),
      spill_fd_(std::exchange(o.spill_fd_, -1)),
      spilled_(o.spilled_),
      finished_(o.finished_),
      stats_(std::move(o.stats_)),
      counts_(std::move(o.counts_)) {}

SummaryAccumulator& SummaryAccumulator::operator=(SummaryAccumulator&& o) noexcept {
  if (this != &o) {
    if (spill_fd_ >= 0) ::close(spill_fd_);
    observables_ = std::move(o.observables_);
    steps_ = o.steps_;
    runs_ = o.runs_;
    spill_directory_ = std::move(o.spill_directory_);
    budget_ = o.budget_;
    block_runs_ = o.block_runs_;
    block_start_ = o.block_start_;
    blocks_written_ = o.blocks_written_;
    values_ = std::move(o.values_);
    spill_fd_ = std::exchange(o.spill_fd_, -1);
    spilled_ = o.spilled_;
    finished_ = o.finished_;
    stats_ = std::move(o.stats_);
    counts_ = std::move(o.counts_);
  }
  return *this;
}

SummaryAccumulator::~SummaryAccumulator() {
  if (spill_fd_ >= 0) ::close(spill_fd_);
}

namespace {

[[noreturn]] void spill_failed(const std::filesystem::path& dir, const char* what) {
  throw std::runtime_error("cannot " + std::string(what) + " the summary's temporary file in " +
                           dir.string() + ": " + std::strerror(errno));
}

// Columns [c0, c0 + count) of the row-major runs × cells matrix `rows`
// (runs rows) into `out` as count rows of `runs` values: a transposition by
// tiles of a few cache lines, so that neither side is read with a stride.
void columns(const double* rows, std::size_t runs, std::size_t cells, std::size_t c0,
             std::size_t count, double* out) {
  constexpr std::size_t kTile = 16;
  for (std::size_t r0 = 0; r0 < runs; r0 += kTile) {
    const std::size_t r1 = std::min(runs, r0 + kTile);
    for (std::size_t k = 0; k < count; ++k) {
      double* o = out + k * runs;
      const double* in = rows + c0 + k;
      for (std::size_t r = r0; r < r1; ++r) o[r] = in[r * cells];
    }
  }
}

}  // namespace

void SummaryAccumulator::flush_block() {
  if (spill_fd_ < 0) {
    static std::atomic<int> serial{0};
    const std::filesystem::path p =
        spill_directory_ /
        (".summary-values-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
    spill_fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (spill_fd_ < 0) spill_failed(spill_directory_, "create");
    ::unlink(p.c_str());  // gone with the descriptor, whatever happens
    spilled_ = true;
  }
  // On disk a block is cell-major, [cell][run in block], so that finish()
  // reads one step's observables of a block in one piece.
  const auto nb = static_cast<std::size_t>(std::min(block_runs_, runs_ - block_start_));
  const std::size_t n = cells();
  std::vector<double> by_cell(nb * n);
  columns(values_.get(), nb, n, 0, n, by_cell.data());
  const std::size_t bytes = by_cell.size() * sizeof(double);
  const auto offset =
      static_cast<off_t>(static_cast<std::size_t>(blocks_written_) *
                         static_cast<std::size_t>(block_runs_) * n * sizeof(double));
  const char* p = reinterpret_cast<const char*>(by_cell.data());
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t k =
        ::pwrite(spill_fd_, p + done, bytes - done, offset + static_cast<off_t>(done));
    if (k <= 0) spill_failed(spill_directory_, "write");
    done += static_cast<std::size_t>(k);
  }
  ++blocks_written_;
  block_start_ += block_runs_;
}

void SummaryAccumulator::record(int run, int step, const double* values) {
  if (finished_ || run < block_start_ || run >= runs_)
    throw std::logic_error("SummaryAccumulator::record: runs must come in order");
  while (run >= block_start_ + block_runs_) flush_block();
  const std::size_t n_obs = observables_.size();
  std::copy_n(
      values, n_obs,
      values_.get() + static_cast<std::size_t>(run - block_start_) * cells() + cell(step, 0));
}

void SummaryAccumulator::finish() {
  if (finished_) return;
  finished_ = true;
  const std::size_t n_obs = observables_.size(), n = cells();
  const auto R = static_cast<std::size_t>(runs_);
  stats_.assign(n, Stats{});
  counts_.assign(n, {});
  // The statistics of cell c from its values over the runs, in run order.
  std::vector<double> one;
  const auto summarise = [&](std::size_t c, const double* v) {
    if (observables_[c % n_obs].categorical()) {
      auto& counts = counts_[c];
      for (std::size_t r = 0; r < R; ++r) {
        const auto cat = static_cast<std::size_t>(v[r]);
        if (cat >= counts.size()) counts.resize(cat + 1, 0.0);
        counts[cat] += 1.0;
      }
    } else {
      one.assign(v, v + R);
      stats_[c] = stats_by_selection(one);
    }
  };
  if (!spilled()) {
    // One block of every run, run-major: the cells in groups of a few
    // kilobytes of runs each.
    const std::size_t group =
        std::clamp<std::size_t>((std::size_t{1} << 21) / (R * sizeof(double)), 1, 64);
    std::vector<double> buffer(group * R);
    for (std::size_t c0 = 0; c0 < n; c0 += group) {
      const std::size_t count = std::min(group, n - c0);
      columns(values_.get(), R, n, c0, count, buffer.data());
      for (std::size_t k = 0; k < count; ++k) summarise(c0 + k, buffer.data() + k * R);
    }
    values_.reset();
    return;
  }
  if (block_start_ < runs_) flush_block();  // the last block, maybe partial
  values_.reset();
  // Observables per pass: as many as fit in the budget (at least one).
  const std::size_t group =
      std::clamp<std::size_t>(budget_ / (R * sizeof(double)), 1, std::max<std::size_t>(n_obs, 1));
  std::vector<double> buffer(std::min(group, n_obs) * R);
  std::vector<double> slice;
  const int blocks = blocks_written_;
  for (int t = 0; t <= steps_; ++t) {
    for (std::size_t o0 = 0; o0 < n_obs; o0 += group) {
      const std::size_t count = std::min(group, n_obs - o0);
      for (int b = 0; b < blocks; ++b) {
        const int first = b * block_runs_;
        const auto nb = static_cast<std::size_t>(std::min(block_runs_, runs_ - first));
        // Block b: [cell][run in block], at b × block_runs × cells doubles.
        const std::size_t at =
            static_cast<std::size_t>(first) * n + cell(t, static_cast<int>(o0)) * nb;
        slice.resize(count * nb);
        char* p = reinterpret_cast<char*>(slice.data());
        const std::size_t bytes = slice.size() * sizeof(double);
        for (std::size_t done = 0; done < bytes;) {
          const ssize_t k = ::pread(spill_fd_, p + done, bytes - done,
                                    static_cast<off_t>(at * sizeof(double) + done));
          if (k <= 0) spill_failed(spill_directory_, "read");
          done += static_cast<std::size_t>(k);
        }
        for (std::size_t k = 0; k < count; ++k) {
          std::copy_n(slice.begin() + static_cast<std::ptrdiff_t>(k * nb), nb,
                      buffer.begin() +
                          static_cast<std::ptrdiff_t>(k * R + static_cast<std::size_t>(first)));
        }
      }
      for (std::size_t k = 0; k < count; ++k)
        summarise(cell(t, static_cast<int>(o0 + k)), buffer.data() + k * R);
    }
  }
  ::close(spill_fd_);
  spill_fd_ = -1;
}

Stats SummaryAccumulator::stats(int step, int observable) const {
  if (!finished_) throw std::logic_error("SummaryAccumulator::stats before finish()");
  return stats_[cell(step, observable)];
}

std::vector<double> SummaryAccumulator::shares(int step, int observable, int categories) const {
  if (!finished_) throw std::logic_error("SummaryAccumulator::shares before finish()");
  std::vector<double> out(static_cast<std::size_t>(categories), 0.0);
  const auto& n = counts_[cell(step, observable)];
  for (std::size_t c = 0; c < out.size() && c < n.size(); ++c) out[c] = n[c];
  for (auto& s : out) s /= runs_ > 0 ? runs_ : 1;
  return out;
}

}  // namespace entente
