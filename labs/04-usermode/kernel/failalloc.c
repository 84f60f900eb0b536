// failalloc.c: fault injection: one kernel allocation fails on purpose.
//
//   failalloc=N      the N-th allocation after boot fails, as if memory had
//                    run out: a frame, an address-space region, a kmalloc,
//                    a capability record (lab 05 on) or a continuation
//                    record (lab 06 on); each allocator asks failalloc_now
//                    (failalloc.h). With run=prog, that is somewhere in
//                    prog's load, its system calls or its children's.
//   failsweep=prog   run prog with failalloc=1, then 2, 3, ... (counting
//                    again from 0 for each run) until a run in which the
//                    N-th allocation never comes: prog then ran clean.
//                    Every run before must end (an error or a killed
//                    program is fine: not a panic, not a hang) with every
//                    count of run: done back where it was.
//
// Counting starts at the end of boot (kmain calls failalloc_start before
// the command line's actions), so the boot itself never fails. Without
// either key failalloc_now only compares a zero and says no.
#include "cmdline.h"
#include "counts.h"
#include "failalloc.h"
#include "kprintf.h"
#include "panic.h"
#include "proc.h"

#define SWEEP_MAX 100000  // a program that allocates more than this is not a test

static uint64_t fail_at;      // the allocation to fail (1 = the first); 0: none
static uint64_t allocations;  // counted since failalloc_start (or the sweep's run)
static const char *failed;    // the kind of the one that failed, once it has

bool failalloc_now(const char *what) {
    if (fail_at == 0 || allocations >= fail_at)
        return false;  // off, or the one failure has happened
    if (++allocations < fail_at)
        return false;
    failed = what;
    kprintf("failalloc: allocation %lu (%s) fails\n", allocations, what);
    return true;
}

// A number of 1 to 18 digits, or 0.
static uint64_t parse_count(const char *s) {
    uint64_t n = 0;
    int digits = 0;
    for (; s && *s >= '0' && *s <= '9' && digits < 18; s++, digits++)
        n = n * 10 + (uint64_t)(*s - '0');
    return s && *s == '\0' ? n : 0;
}

void failalloc_start(void) {
    const char *value = cmdline_get("failalloc");
    if (!cmdline_has("failalloc"))
        return;
    fail_at = parse_count(value);
    failalloc_armed = fail_at != 0;
    if (fail_at == 0)
        kprintf("failalloc: '%s' ignored (a number from 1)\n", value ? value : "");
}
CMDLINE_KEY(failalloc, "failalloc=N: the N-th kernel allocation after boot fails", NULL);

// --- failsweep=prog -----------------------------------------------------------

static bool same_counts(const struct live_counts *a, const struct live_counts *b) {
    return a->free_frames == b->free_frames && a->regions == b->regions && a->caps == b->caps &&
           a->conts == b->conts && a->channels == b->channels;
}

// Run prog once with allocation n failing (n = 0: none). Its exit code
// (-1: refused or killed); *leaked when a count did not come back.
static int64_t run_failing(const char *prog, uint64_t n, bool *leaked) {
    struct live_counts before;
    live_counts(&before);
    fail_at = n;
    failalloc_armed = n != 0;
    allocations = 0;
    failed = NULL;
    int64_t code = run_program(prog);
    fail_at = 0;  // the counts below must not fail
    failalloc_armed = false;
    struct live_counts after;
    live_counts(&after);
    *leaked = !same_counts(&before, &after);
    if (*leaked)
        kprintf("failsweep: N=%lu: LEAK: free frames %lu -> %lu, regions %lu -> %lu, caps %lu -> "
                "%lu, conts %lu -> %lu, channels %lu -> %lu\n",
                n, before.free_frames, after.free_frames, before.regions, after.regions,
                before.caps, after.caps, before.conts, after.conts, before.channels,
                after.channels);
    return code;
}

static void sweep_action(const char *prog) {
    if (!prog || !*prog) {
        kprintf("failsweep: needs a program: failsweep=prog\n");
        power_off(EXIT_FAIL);
    }
    uint64_t leaks = 0, n;
    int64_t code = -1;
    for (n = 1; n <= SWEEP_MAX; n++) {
        bool leaked;
        code = run_failing(prog, n, &leaked);
        leaks += leaked;
        if (!failed)
            break;  // the n-th allocation never came: it ran clean
        kprintf("failsweep: N=%lu (%s): %s ended with %ld%s\n", n, failed, prog, code,
                leaked ? ", LEAKED" : ", nothing leaked");
    }
    bool pass = leaks == 0 && n <= SWEEP_MAX && code == 0;
    kprintf("failsweep: %s ran clean at N=%lu (allocations 1 to %lu each failed once): %lu "
            "leaked, clean run exit %ld: %s\n",
            prog, n, n - 1, leaks, code, pass ? "PASS" : "FAIL");
    power_off(pass ? EXIT_PASS : EXIT_FAIL);
}
CMDLINE_KEY(
    failsweep,
    "failsweep=prog: run prog with failalloc=1, 2, 3, ... until it runs clean, then power off",
    sweep_action);
