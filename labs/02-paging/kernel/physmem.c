// physmem.c: the usable physical memory, from the Multiboot2 memory map.
//
// The frame allocator (frame.c) must never hand out a frame that is in use
// before it even starts: the kernel's own image, the boot information that
// GRUB left for us, the program modules, or the first MiB, where the BIOS
// keeps its data. This file subtracts those "reserved" ranges from the
// available regions and gives back page-aligned ranges of free memory.
#include "physmem.h"
#include "memlayout.h"
#include "multiboot2.h"

#define MAX_RESERVED (4 + MB2_MAX_MODULES)

static uint64_t round_down(uint64_t x) { return x & ~(PAGE_SIZE - 1); }
static uint64_t round_up(uint64_t x) { return round_down(x + PAGE_SIZE - 1); }

// The reserved ranges, widened to whole pages and sorted by start.
static int reserved_ranges(struct phys_range *out) {
    int n = 0;
    out[n++] = (struct phys_range){0, 0x100000};
    out[n++] = (struct phys_range){(uint64_t)_kernel_phys_start, (uint64_t)_kernel_phys_end};
    out[n++] = (struct phys_range){bootinfo.info_phys, bootinfo.info_phys + bootinfo.info_size};
    for (int i = 0; i < bootinfo.nmodules; i++)
        out[n++] = (struct phys_range){bootinfo.modules[i].start, bootinfo.modules[i].end};
    for (int i = 0; i < n; i++) {
        out[i].start = round_down(out[i].start);
        out[i].end = round_up(out[i].end);
    }
    for (int i = 1; i < n; i++) {  // insertion sort: a handful
        struct phys_range r = out[i];
        int j = i;
        for (; j > 0 && out[j - 1].start > r.start; j--)
            out[j] = out[j - 1];
        out[j] = r;
    }
    return n;
}

bool physmem_is_reserved(uint64_t pa) {
    struct phys_range reserved[MAX_RESERVED];
    int n = reserved_ranges(reserved);
    for (int i = 0; i < n; i++)
        if (pa >= reserved[i].start && pa < reserved[i].end)
            return true;
    return false;
}

// Emit [start, end) minus the reserved ranges (sorted) into out.
static int subtract_reserved(uint64_t start, uint64_t end, const struct phys_range *reserved,
                             int nreserved, struct phys_range *out, int n, int max) {
    uint64_t cursor = start;
    for (int i = 0; i < nreserved && cursor < end; i++) {
        const struct phys_range *r = &reserved[i];
        if (r->end <= cursor || r->start >= end)
            continue;
        if (r->start > cursor && n < max)
            out[n++] = (struct phys_range){cursor, r->start};
        if (r->end > cursor)
            cursor = r->end;
    }
    if (cursor < end && n < max)
        out[n++] = (struct phys_range){cursor, end};
    return n;
}

int physmem_usable_ranges(struct phys_range *out, int max) {
    struct phys_range reserved[MAX_RESERVED];
    int nreserved = reserved_ranges(reserved), n = 0;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type != MEM_AVAILABLE)
            continue;
        uint64_t start = round_up(r->base), end = round_down(r->base + r->length);
        if (n > 0 && start < out[n - 1].end)  // overlapping map entries
            start = out[n - 1].end;
        if (start < end)
            n = subtract_reserved(start, end, reserved, nreserved, out, n, max);
    }
    return n;
}
