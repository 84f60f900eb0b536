// ends.c: programs that end while others wait for them, in lab 06's
// terms (no call kills another program, so they end by a fault): waited
// for after the end, killed while two records wait, killed while they
// wait for everything themselves, killed with thousands of records queued
// and timers; a region revoked while another program writes it; and
// running out of memory in every call lab 06 has that allocates, spawn
// until memory runs out among them. final/
// links this file; its procs.c and memory.c do the same with kill and
// channels.
#include "usertests.h"

static uint64_t child;
#define GUARD 500  // ticks: a wake-up that never came fails the case instead of hanging it

static long never_woken(long arg, long value) { return check_failed((int)arg, "woken", 0, 1); }

// Waiting for a program that has ended already: at once, with its code.
static long ended_at_once(long arg, long state) {
    EXPECT(state, PROC_EXITED);
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(st.state, PROC_EXITED);
    EXPECT(st.code, 7);
    EXPECT(st.reason[0], 0);
    exit(0);
}

static long first_end(long arg, long state) {
    EXPECT(state, PROC_EXITED);
    return cont_wait_proc(child, ended_at_once, 0);  // again, after the end
}

long e_wait_after_end(void) {
    long h = spawn_role(ROLE_LATER, 1, 7, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    EXPECT(cont_wait_time(GUARD, never_woken, __LINE__), 0);
    return cont_wait_proc(child, first_end, 0);
}

// A program that waits for everything, killed by its own fault while two
// records wait for it: both are told, with the reason.
static int woken;
static long woken_by_fault(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(st.state, PROC_KILLED);
    EXPECT(st.code, -1);
    EXPECT(strncmp(st.reason, "page fault at 0x0 (write", 24), 0);
    if (++woken == 2)
        exit(0);
    return 0;
}

long e_killed_while_waited_for(void) {
    long h = spawn_role(ROLE_DOOMED, 3, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(st.state, 0);  // running
    EXPECT(cont_wait_proc(child, woken_by_fault, 0), 0);
    EXPECT(cont_wait_proc(child, woken_by_fault, 1), 0);
    return cont_wait_time(GUARD, never_woken, __LINE__);
}

// A program with thousands of continuations queued and a thousand timers
// is killed: its records go (the run: done line counts them), and this
// program's timers still come in order, none early.
static long started, fired[3];
static int nfired;
static long timer_fired(long want, long now) {
    EXPECT_TRUE(now >= started + want);
    fired[nfired++] = want;
    if (nfired < 3)
        return 0;
    EXPECT(fired[0], 3);
    EXPECT(fired[1], 6);
    EXPECT(fired[2], 9);
    return 0;
}

static long crowded_ended(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(strncmp(st.reason, "page fault at 0x0 (write", 24), 0);
    return 0;
}

long e_killed_with_records_queued(void) {
    started = ticks();
    EXPECT(cont_wait_time(9, timer_fired, 9), 0);
    EXPECT(cont_wait_time(3, timer_fired, 3), 0);
    EXPECT(cont_wait_time(6, timer_fired, 6), 0);
    long h = spawn_role(ROLE_CROWDED, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_proc(child, crowded_ended, 0);
}

// A child writing a region it was given a copy of; the region is revoked:
// the child's copy goes, its page is unmapped, its next write kills it.
static uint64_t region;
static long scribbler_ended(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    char want[40];
    snprintf(want, sizeof want, "page fault at 0x%lx (", region_at(region));
    EXPECT(strncmp(st.reason, want, strlen(want)), 0);
    exit(0);
}

static long watch(long tries, long value) {
    if (*(volatile uint64_t *)region_at(region) == 0) {  // not written yet
        EXPECT_TRUE(tries < GUARD);
        return cont_wait_time(1, watch, tries + 1);
    }
    EXPECT(cap_revoke(region), 0);
    *(volatile uint64_t *)region_at(region) = 0;  // still ours
    return cont_wait_proc(child, scribbler_ended, 0);
}

long e_revoke_while_used(void) {
    region = (uint64_t)region_new(4096, CAP_READ | CAP_WRITE);
    long copy = cap_derive(region, CAP_READ | CAP_WRITE | CAP_GRANT, 0, 0);
    uint64_t give[1] = {(uint64_t)copy};
    long h = spawn_role(ROLE_SCRIBBLE, 0, 0, give, 1);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    EXPECT(cap_type((uint64_t)copy), E_BADHANDLE);  // moved
    return watch(0, 0);
}

// A program that runs past its time budget (the case f_forever) while
// another waits for it.
long f_forever(void);
static bool has_text(const char *text, const char *word) {
    for (; *text; text++)
        if (strncmp(text, word, strlen(word)) == 0)
            return true;
    return false;
}

static long budget_ended(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT_TRUE(has_text(st.reason, "time budget exceeded"));
    return 0;
}

long e_budget_while_waited_for(void) {
    long forever_case = -1;
    for (int i = 0; i < ncases; i++)
        if (cases[i].fn == f_forever)
            forever_case = i;
    EXPECT_TRUE(forever_case >= 0);
    long h = spawn_role(ROLE_CASE, forever_case, case_depth + 1, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_proc(child, budget_ended, 0);
}

// --- Running out of memory. ---------------------------------------------------------

#define HOGS 8192
static uint64_t hogs[HOGS];
static int nhogs;

// Allocate regions of `size` bytes, a few a continuation (each zeroes its
// frames: the time budget), until E_NOMEM; then smaller ones.
static long exhausted(long arg, long value);
static long hog(long size, long value) {
    for (int i = 0; i < 4 && nhogs < HOGS; i++) {
        long h = region_new((uint64_t)size, CAP_READ | CAP_WRITE);
        if (h == E_NOMEM)
            return size == 4096 ? cont_queue(exhausted, 0)
                                : cont_queue(hog, size > 65536 ? 65536 : 4096);
        EXPECT_TRUE(h > 0);
        hogs[nhogs++] = (uint64_t)h;
    }
    EXPECT_TRUE(nhogs < HOGS);
    return cont_queue(hog, size);
}

static bool ok_or_nomem(long result) { return result >= 0 || result == E_NOMEM; }

static long recovered(long arg, long state);
static long unhog(long arg, long value);

// Nothing left: every call that allocates fails with E_NOMEM (or, where
// the kernel had a record to spare, works); nothing panics; then it all
// comes back.
static long exhausted(long arg, long value) {
    EXPECT(region_new(4096, CAP_READ), E_NOMEM);
    EXPECT(region_new(1ul << 30, CAP_READ), E_NOMEM);
    EXPECT(spawn_role(ROLE_EXIT, 0, 0, NULL, 0), E_NOMEM);
    struct spawn_cap give[1] = {{console, 0}};
    EXPECT(spawn("hello", give, 1), E_NOMEM);
    long d;
    while ((d = cap_derive(console, CAP_WRITE, 0, 0)) > 0)
        ;
    EXPECT_TRUE(d == E_NOMEM || d == E_FULL);
    EXPECT(cap_revoke(console), 0);  // the copies go
    EXPECT_TRUE(ok_or_nomem(cont_queue(noop, 0)));
    EXPECT_TRUE(ok_or_nomem(cont_wait_time(1, noop, 0)));
    EXPECT_TRUE(ok_or_nomem(cont_wait_input(noop, 0)));
    printf("usertests: case %d: memory ran out after %d regions\n", case_number, nhogs);
    return cont_queue(unhog, 0);
}

// Give them back, a few a continuation.
static long unhog(long arg, long value) {
    for (int i = 0; i < 4 && nhogs > 0; i++)
        EXPECT(cap_drop(hogs[--nhogs]), 0);
    if (nhogs > 0)
        return cont_queue(unhog, 0);
    long r = region_new(1ul << 20, CAP_READ | CAP_WRITE);  // it all came back
    EXPECT_TRUE(r > 0);
    long h = spawn_role(ROLE_EXIT, 7, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_proc(child, recovered, 0);
}

static long recovered(long arg, long state) {
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(st.code, 7);
    exit(0);  // (the records made above wait forever otherwise)
}

long e_out_of_memory(void) { return hog(4 << 20, 0); }

// --- Spawning until memory runs out. -------------------------------------------------

// Programs that wait CROWD_WAIT ticks and exit 9, spawned eight a
// continuation until spawn says E_NOMEM. Each waits far longer than the
// crowd takes to grow (the grader's clock skips ahead while the machine
// is idle), so they are all alive then, and the newest ends last: waiting
// for it waits for them all. Only the newest handle is kept, so that the
// table does not fill before memory does. A spare region, dropped at the
// end, leaves room for that last wait's record.
#define CROWD_WAIT 2000
#define CROWD_MAX  8192  // (about 470 fit in the grader's 128 MiB)
static uint64_t newest, spare;
static int crowd;

static long crowd_ended(long arg, long state) {
    EXPECT(state, PROC_EXITED);
    struct proc_status st;
    EXPECT(proc_status(newest, &st), 0);
    EXPECT(st.code, 9);
    EXPECT(cap_drop(newest), 0);
    long r = region_new(1ul << 20, CAP_READ | CAP_WRITE);  // it all came back
    EXPECT_TRUE(r > 0);
    // Those whose deadline was the same tick as the newest's may be woken
    // after it: give them two ticks to end before the case does.
    return cont_wait_time(2, noop, 0);
}

static long grow_crowd(long arg, long value) {
    for (int i = 0; i < 8; i++) {
        long h = spawn_role(ROLE_LATER, CROWD_WAIT, 9, NULL, 0);
        if (h < 0) {
            EXPECT(h, E_NOMEM);
            EXPECT_TRUE(crowd > 100);
            printf("usertests: case %d: %d programs waiting, then spawn is E_NOMEM\n", case_number,
                   crowd);
            EXPECT(cap_drop(spare), 0);
            return cont_wait_proc(newest, crowd_ended, 0);
        }
        EXPECT_TRUE(crowd < CROWD_MAX);  // not a steady state of programs ending
        if (newest)
            EXPECT(cap_drop(newest), 0);
        newest = (uint64_t)h;
        crowd++;
    }
    return cont_queue(grow_crowd, 0);
}

long e_spawn_until_out_of_memory(void) {
    long r = region_new(64 << 10, CAP_READ | CAP_WRITE);
    EXPECT_TRUE(r > 0);
    spare = (uint64_t)r;
    return grow_crowd(0, 0);
}

// region_new of a gigabyte: all of it, or E_NOMEM; either way a second
// one after it works once the first is gone.
long e_region_huge(void) {
    long r = region_new(1ul << 30, CAP_READ | CAP_WRITE);
    if (r > 0)  // (a machine with memory to spare)
        EXPECT(cap_drop((uint64_t)r), 0);
    else
        EXPECT(r, E_NOMEM);
    long small = region_new(1ul << 20, CAP_READ | CAP_WRITE);
    EXPECT_TRUE(small > 0);
    ((volatile char *)region_at((uint64_t)small))[(1ul << 20) - 1] = 1;
    return 0;
}

// A program file the loader refuses: E_BADPROG, and the capabilities
// listed stay the caller's. The grade adds a boot module "badelf" (hello
// with a broken ELF magic); without it (make qemu) the name is unknown.
long e_spawn_bad_program(void) {
    long r = region_new(4096, CAP_READ);
    struct spawn_cap give[2] = {{console, 0}, {(uint64_t)r, SPAWN_MOVE}};
    long got = spawn("badelf", give, 2);
    if (got == E_NOENT)
        printf("usertests: case %d: no boot module badelf (the grade adds it)\n", case_number);
    else
        EXPECT(got, E_BADPROG);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // not moved
    EXPECT(cap_drop((uint64_t)r), 0);
    return 0;
}

// A wait's continuation is only an address until its event comes: one
// at a non-canonical or a kernel address kills the program then, not the
// kernel (the cases' reasons: #GP, a page fault fetching kernel text).
long f_wait_time_noncanonical(void) { return cont_wait_time(1, (cont_fn)USER_TOP, 0); }

long f_wait_proc_kernel(void) {
    long h = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    return cont_wait_proc((uint64_t)h, (cont_fn)KERNEL_TEXT, 0);
}

// wait_time(0) and (1): delivered, never before the tick asked for.
static long asked_at;
static int delivered;
static long tick_came(long after, long now) {
    EXPECT_TRUE(now >= asked_at + after);
    EXPECT_TRUE(now <= ticks());
    delivered++;
    return 0;
}

static long both_came(long arg, long value) {
    EXPECT(delivered, 2);
    return 0;
}

long t_wait_time_short(void) {
    asked_at = ticks();
    EXPECT(cont_wait_time(0, tick_came, 0), 0);
    EXPECT(cont_wait_time(1, tick_came, 1), 0);
    return cont_wait_time(3, both_came, 0);
}
