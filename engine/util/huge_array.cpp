#include "entente/util/huge_array.hpp"

#include <sys/mman.h>

#include <new>

namespace entente::detail {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Below this the array is left to malloc (a huge page would be mostly empty).
constexpr std::size_t kHugeThreshold = std::size_t{4} << 20;

}  // namespace

void* huge_allocate(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kHugeThreshold) {
    void* p = std::malloc(bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = nullptr;
  if (posix_memalign(&p, kHugePage, rounded) != 0) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Advice only: a kernel without transparent huge pages refuses it, and
  // the memory is then ordinary pages.
  madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}

}  // namespace entente::detail
