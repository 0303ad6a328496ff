// Large arrays written once, front to back (the summary's values of every
// run): backed by transparent huge pages where the kernel gives them on
// request (/sys/kernel/mm/transparent_hugepage/enabled = madvise, Debian's
// default), so that the first touch of 2 MiB costs one page fault instead
// of 512. Smaller arrays, and kernels without huge pages, get ordinary
// memory; the contents are never zeroed.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace entente::detail {

struct FreeDeleter {
  void operator()(void* p) const noexcept { std::free(p); }
};

template <class T>
using HugeArray = std::unique_ptr<T[], FreeDeleter>;

// `bytes` of storage (at least 1), aligned for any type; throws
// std::bad_alloc when there is no memory.
void* huge_allocate(std::size_t bytes);

template <class T>
HugeArray<T> make_huge_array(std::size_t count) {
  return HugeArray<T>(static_cast<T*>(huge_allocate(count * sizeof(T))));
}

}  // namespace entente::detail
