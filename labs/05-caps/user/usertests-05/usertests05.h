// usertests05.h: what lab 05's usertests shares between its files: the
// children it spawns (children.c) and its cases (caps05.c).
//
// A case that must kill a program runs in a child: usertests spawns itself
// with a region capability first in the list. Lab 05's spawn carries only
// capabilities, so the region's size says what to do: CHILD_KIND pages is
// child kind KIND. The region's first page also carries words from the
// parent (the foreign-handle case reads them). A program started by run=
// gets the console first instead, and runs the suite.
#pragma once
#include <stdint.h>
#include "syscall.h"
#include "../usertests-04/ut.h"

enum child_kind {
    CHILD_EXIT = 1,     // exit with a 64-bit code (CHILD_CODE)
    CHILD_FOREIGN,      // the parent's handle values are nothing here
    CHILD_NEST,         // spawn itself until E_LIMIT: the depth reached
    CHILD_KREAD,        // read the kernel image
    CHILD_KWRITE,       // write the kernel's direct map
    CHILD_NULLREAD,     // read address 0
    CHILD_RO_WRITE,     // write a region it holds read-only
    CHILD_NOEXEC_JUMP,  // run code in a region without CAP_EXEC
    CHILD_DROP_TOUCH,   // write a region after dropping its capability
    CHILD_RIGHTS_LEFT,  // write when only a read-only derived capability is left
    CHILD_TEXT_WRITE,   // write its own code
    CHILD_UD2,          // #UD
    CHILD_DIVZERO,      // #DE
    CHILD_OUTPORT,      // #GP: no I/O ports in ring 3
    CHILD_STACK,        // run off the end of its stack
    CHILD_KINDS
};

#define CHILD_CODE 0x123456789abcdeLL

// Run one child kind (children.c); for the killing kinds, never returns.
long child_main(enum child_kind kind, int ncaps, const uint64_t *caps, uint64_t *words);

// Spawn a child of that kind with `words` in its region's first page and
// extra capabilities after it; the process handle, or spawn's error.
long spawn_child(enum child_kind kind, const uint64_t *words, int nwords,
                 const struct spawn_cap *extra, int nextra);

// How many more capabilities the table takes before E_FULL.
long free_slots(void);

// The out-of-memory case (caps05.c), run last: its count of the free
// memory is the one compared with before the first case.
const char *region_new_out_of_memory(void);

extern const struct ut_case caps05_cases[];
extern const int caps05_count;
