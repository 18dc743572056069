// Why: `doudi run` on a bundle touches about 1.5 MB of heap (the bundle's
// text, simdjson's index and tape, the module, the interpreter's code) and
// each fresh 4 KiB page is a page fault. On the virtual machines counties
// run, a fault costs ~10 µs (the guest kernel's and the hypervisor's), ~300
// of them 3 ms of a 13 ms command; a 2 MiB transparent huge page is one
// fault and ~0.1 ms to clear (bench/README.md, "Start-up on huge pages").
//
// How: glibc's main heap is one region grown by brk. The heap is grown once
// by 8 MiB now (M_TOP_PAD, set back to its default after) and the 2 MiB-
// aligned part of the new space marked MADV_HUGEPAGE; the space below the
// first aligned address is taken by one block that is never written, so the
// allocations that follow start on the huge pages. Allocations up to 32 MiB
// stay on the heap (M_MMAP_THRESHOLD: glibc maps anything over 128 KiB
// afresh, in 4 KiB faults, and unmaps it on free) and freed memory is kept
// up to 32 MiB (M_TRIM_THRESHOLD), so the marked part is not handed back.
//
// Cost: 8 MiB of address space; where the kernel grants huge pages, the
// resident size in 2 MiB steps; and, the two thresholds being the whole
// process's, every thread's arena (batch workers, proofs, the language
// server) may keep up to 32 MiB it freed (1M and 10M batches: 102 MiB peak,
// as before). Where the kernel has no free huge page, THP's "defrag"
// setting decides whether the fault first compacts memory (the default,
// "madvise", does) or takes small pages at once. Where a step fails (not
// glibc, a sanitizer's allocator, brk refused) the settings go back to
// glibc's defaults and the heap keeps small pages: only speed depends on it.
#include "tools/doudi/startup_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOUDI_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DOUDI_ASAN 1
#endif

namespace doudi {

#if defined(__GLIBC__) && !defined(DOUDI_ASAN)
namespace {

// Held for the program's life and never written: no memory behind it.
void* volatile below_aligned = nullptr;

// mallopt(3)'s defaults for the three (the mmap threshold then stays at
// 128 KiB instead of rising with the blocks freed).
void default_settings() {
  constexpr int kDefault = 128 * 1024;
  mallopt(M_MMAP_THRESHOLD, kDefault);
  mallopt(M_TRIM_THRESHOLD, kDefault);
  mallopt(M_TOP_PAD, kDefault);
}

}  // namespace

void put_heap_on_huge_pages() {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  constexpr int kKept = 32 << 20;
  if (mallopt(M_MMAP_THRESHOLD, kKept) != 1 || mallopt(M_TRIM_THRESHOLD, kKept) != 1 ||
      mallopt(M_TOP_PAD, 8 << 20) != 1)
    return default_settings();
  // More than the free space at the top, so the heap grows (by the pad).
  void* volatile grow = std::malloc(256 << 10);  // volatile: kept, not folded away with its free
  std::free(grow);
  mallopt(M_TOP_PAD, 128 * 1024);  // later growth as usual
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t free_from = top - mallinfo2().keepcost;  // the top chunk: its header, then free space
  const uintptr_t aligned = (free_from + kHuge - 1) & ~(kHuge - 1);
  if (free_from >= top || aligned + kHuge > top ||
      madvise(reinterpret_cast<void*>(aligned), (top - aligned) & ~(kHuge - 1), MADV_HUGEPAGE) != 0)
    return default_settings();
  // A block of aligned − free_from bytes, its header included (glibc adds
  // one size_t to a request), so the next chunk's header is at `aligned`.
  if (aligned - free_from >= 64) below_aligned = std::malloc(aligned - free_from - sizeof(size_t));
}

#else

void put_heap_on_huge_pages() {}

#endif

}  // namespace doudi
