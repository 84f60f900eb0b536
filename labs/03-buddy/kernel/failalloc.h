// failalloc.h: the allocators' hook for fault injection (final/'s failalloc=N).
//
// Every kernel allocator (frames, address-space regions, kmalloc, and
// from later labs capability records and continuation records) asks
// failalloc() first, and fails as if memory had run out when it says
// yes. final/kernel/failalloc.c decides: with `failalloc=N` on the kernel
// command line, the N-th allocation after boot fails, so that error paths
// run on purpose.
//
// Before final/, and in the host tests, nothing defines failalloc_now:
// the declaration is weak, so its address is then 0 and failalloc()
// answers no without calling anything.
#pragma once
#include <stdbool.h>

bool failalloc_now(const char *what) __attribute__((weak));

// True when this allocation (of kind `what`: "frame", "kmalloc", ...) must fail.
static inline bool failalloc(const char *what) { return failalloc_now && failalloc_now(what); }

// final/: start counting allocations (kmain, at the end of boot).
void failalloc_start(void);
