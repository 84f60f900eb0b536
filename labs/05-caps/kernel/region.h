// region.h: memory regions, the objects behind region capabilities.
//
// A region is a range of the single address space (from vregion, so it
// has one address in every view) and the zeroed frames behind it,
// allocated when the region is made. Processes reach it only through
// capabilities; each holder's view maps the pages its capabilities cover
// (view.c). When the last capability goes, the frames and the range go back.
//
// final/: a region also owns the page tables that map it (rtable.h), made
// with it and filled with its rights, in a slot of the address space of
// its own (2 MiB, or 1 GiB for a bigger one), so that no page table holds
// anything else: a view that may see all of it with exactly those rights
// links that one table with one entry, and a move hands that entry on,
// whatever the region's size. region.c asks for the slot's size and for
// the tables through three hooks that do nothing before final/.
#pragma once
#include <stdint.h>
#include "cap.h"

#define REGION_MAX_LEN (1ul << 30)  // region_new gives at most 1 GiB

struct region {
    struct object obj;  // obj.size: the length, a multiple of 4 KiB
    uint64_t va;        // where it is, in every view
    uint32_t rights;    // CAP_READ | CAP_WRITE | CAP_EXEC it was made with
    uint64_t table;     // final/: the page tables it owns (rtable.h); 0 before
    uint64_t npages;
    uint64_t frames[];  // the frame behind each page
};

// A region of len bytes (rounded up to pages) with rights (plus CAP_GRANT)
// for table t: its handle, or E_INVAL (len 0 or above REGION_MAX_LEN,
// unknown rights, CAP_WRITE with CAP_EXEC), E_NOMEM, E_FULL. Nothing is
// left allocated on an error.
int64_t region_new(struct cap_table *t, uint64_t len, uint32_t rights);
void region_release(struct region *r);  // obj_release of a region
uint64_t region_live_count(void);       // regions that exist, for tests

int64_t sys_region_new(uint64_t len, uint64_t rights, uint64_t unused1, uint64_t unused2);
