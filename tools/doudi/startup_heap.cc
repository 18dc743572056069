// Why: `doudi run` on a bundle touches about 1.5 MB of heap (the bundle's
// text, simdjson's index and tape, the module, the interpreter's code) and
// each fresh 4 KiB page is a page fault. On the virtual machines counties
// run, a fault costs ~10 µs (the guest kernel's and the hypervisor's), ~300
// of them 3 ms of a 13 ms command; a 2 MiB transparent huge page is one
// fault and ~0.1 ms to clear (bench/README.md, "Start-up on huge pages").
//
// How: glibc's main heap is one region grown by brk. The heap is grown once
// by 8 MiB now (M_TOP_PAD) and the 2 MiB-aligned part of the new space marked
// MADV_HUGEPAGE; the space below the first aligned address is taken by one
// block that is never touched, so the allocations that follow start on the
// huge pages. Allocations up to 32 MiB stay on the heap (M_MMAP_THRESHOLD:
// glibc maps anything over 128 KiB afresh, in 4 KiB faults, and unmaps it on
// free) and freed memory is kept up to 32 MiB (M_TRIM_THRESHOLD), so the
// marked part is not handed back.
//
// Cost: 8 MiB of address space and, where the kernel grants huge pages, the
// resident size in 2 MiB steps. Where a step fails (not glibc, no THP, brk
// refused) the rest is skipped: only speed depends on it.
#include "tools/doudi/startup_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace doudi {
namespace {

// Held for the program's life and never written: no memory behind it.
void* volatile below_aligned = nullptr;

}  // namespace

void put_heap_on_huge_pages() {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  constexpr size_t kHeldFreed = size_t{32} << 20;
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHeldFreed)) != 1 ||
      mallopt(M_TRIM_THRESHOLD, static_cast<int>(kHeldFreed)) != 1 || mallopt(M_TOP_PAD, 8 << 20) != 1)
    return;
  // More than the free space at the top, so the heap grows (by the pad).
  void* volatile grow = std::malloc(256 << 10);  // volatile: kept, not folded away with its free
  std::free(grow);
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t free_from = top - mallinfo2().keepcost;  // the free space at the top of the heap
  const uintptr_t aligned = (free_from + kHuge - 1) & ~(kHuge - 1);
  if (free_from >= top || aligned + kHuge > top) return;
  if (madvise(reinterpret_cast<void*>(aligned), (top - aligned) & ~(kHuge - 1), MADV_HUGEPAGE) != 0) return;
  if (aligned - free_from > 64) below_aligned = std::malloc(aligned - free_from - 32);
#endif
}

}  // namespace doudi
