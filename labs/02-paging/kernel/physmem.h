// physmem.h: which physical memory the kernel may hand out.
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define PHYSMEM_MAX_RANGES 128

struct phys_range {
    uint64_t start, end;  // [start, end), page-aligned
};

// The available regions of the memory map, less what must never be handed
// out: the first MiB (firmware, real-mode leftovers), the kernel image, the
// boot information and the modules. Sorted; returns how many (at most max).
int physmem_usable_ranges(struct phys_range *out, int max);

// True when pa lies in a range that must never be handed out.
bool physmem_is_reserved(uint64_t pa);
