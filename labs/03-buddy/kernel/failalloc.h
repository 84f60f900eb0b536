// failalloc.h: the allocators' hook for fault injection (failalloc=N, lab 04 on).
//
// Every kernel allocator (frames, address-space regions, kmalloc, and
// from later labs capability records and continuation records) asks
// failalloc() first, and fails as if memory had run out when it says
// yes. kernel/failalloc.c (lab 04 on) decides: with `failalloc=N` on the kernel
// command line, the N-th allocation after boot fails, so that error paths
// run on purpose.
//
// The common case costs a load and a branch: failalloc_armed stays false
// unless failalloc.c sets it (a weak definition in every file
// that includes this one: the linker keeps one, the host tests too). Before lab 04, and in
// the host tests, nothing defines failalloc_now: the declaration is weak,
// and nothing calls it while failalloc_armed is false.
#pragma once
#include <stdbool.h>

__attribute__((weak)) bool failalloc_armed;  // true only while failalloc=N or failsweep= counts
bool failalloc_now(const char *what) __attribute__((weak));

// True when this allocation (of kind `what`: "frame", "kmalloc", ...) must fail.
static inline bool failalloc(const char *what) {
    return __builtin_expect(failalloc_armed, 0) && failalloc_now && failalloc_now(what);
}

// Lab 04 on: start counting allocations (kmain, at the end of boot).
void failalloc_start(void);
