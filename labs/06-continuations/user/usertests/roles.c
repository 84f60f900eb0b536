// roles.c: the helper programs the cases of ends.c need, in lab 06 and in
// final/ alike (final/ links this file): each ends by itself, by a fault
// or an exit, since lab 06 has no call that kills another program.
#include "usertests.h"

static long fault_now(long arg, long value) {
    *(volatile uint64_t *)0 = 1;  // killed here: "page fault at 0x0 (write, ...)"
    return 1;
}

// Wait for time, input and another program's end, then fault: its own
// records must go with it, and those waiting for it must be told.
long role_doomed(long ticks) {
    cont_wait_time(FOREVER, noop, 0);
    cont_wait_input(noop, 0);
    long later = spawn_role(ROLE_LATER, 5, 0, NULL, 0);  // outlives it a little
    if (later > 0)
        cont_wait_proc((uint64_t)later, noop, 0);
    return cont_wait_time(ticks, fault_now, 0);
}

// Thousands of records queued and a thousand timers with scattered
// deadlines, then a fault before any of them runs.
long role_crowded(void) {
    for (long i = 0; i < 1000; i++)
        cont_wait_time((i * 7919) % 600 + 1, noop, 0);
    for (long i = 0; i < 3000; i++)
        cont_queue(noop, 0);
    return fault_now(0, 0);
}

static volatile uint64_t *word;
static long scribble_again(long arg, long value) {
    *word += 1;  // faults once the region is revoked
    return cont_wait_time(1, scribble_again, 0);
}

// Write the region's first word (its parent reads it there too: one
// address space), every tick, until a write faults.
long role_scribble(uint64_t region) {
    word = (volatile uint64_t *)region_at(region);
    if (!word)
        return 96;
    return scribble_again(0, 0);
}

static long exit_with(long code, long now) { exit(code); }

long role_later(long ticks, long code) { return cont_wait_time(ticks, exit_with, code); }
