// procs.c: processes, with kill and channels: waiting for a program that
// has ended, that is killed while others wait or while it waits itself,
// that kills itself, many killed at once; a region revoked while another
// program uses it; a program file the loader refuses. Lab 06's calls.c
// and ends.c (linked here) have the rest.
#include "usertests.h"

static uint64_t child;
static uint64_t ends[2];

static long status_of(uint64_t h, struct proc_status *st) { return proc_status(h, st); }

// Waiting for a program that has ended already: at once, with its code.
static long ended_at_once(long arg, long state) {
    EXPECT(state, PROC_EXITED);
    struct proc_status st;
    EXPECT(status_of(child, &st), 0);
    EXPECT(st.code, 7);
    EXPECT(st.reason[0], 0);
    EXPECT(kill(child), E_CLOSED);  // nothing left to kill
    return 0;
}

static long first_end(long arg, long state) {
    EXPECT(state, PROC_EXITED);
    return cont_wait_proc(child, ended_at_once, 0);  // again, after the end
}

long t_wait_after_end(void) {
    long h = spawn_role(ROLE_EXIT, 7, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_proc(child, first_end, 0);
}

// A sleeping child, killed while two records wait for it: both are told.
static int woken;
static long woken_by_kill(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(status_of(child, &st), 0);
    EXPECT(st.code, -1);
    EXPECT(strncmp(st.reason, "killed by usertests (pid ", 25), 0);
    woken++;
    return 0;
}

static long check_both(long arg, long value) {
    EXPECT(woken, 2);
    return 0;
}

static long kill_it(long arg, long value) {
    struct proc_status st;
    EXPECT(status_of(child, &st), 0);
    EXPECT(st.state, 0);  // running (asleep)
    EXPECT(kill(child), 0);
    EXPECT(kill(child), E_CLOSED);
    return cont_wait_time(2, check_both, 0);
}

long t_kill_while_waited_for(void) {
    long h = spawn_role(ROLE_SLEEP, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    EXPECT(cont_wait_proc(child, woken_by_kill, 0), 0);
    EXPECT(cont_wait_proc(child, woken_by_kill, 1), 0);
    return cont_wait_time(2, kill_it, 0);
}

// A program holding a channel's other end ends: a waiting receiver is
// woken with E_CLOSED, and what was queued for it still arrives first.
static long peer_ended(long arg, long value) {
    EXPECT(value, 1);  // the one message
    struct msg m;
    EXPECT(chan_recv(ends[0], &m), 0);
    EXPECT(m.words[0], 5);
    long err = chan_recv(ends[0], &m);
    EXPECT_TRUE(err == E_EMPTY || err == E_CLOSED);  // (the holder may have ended)
    return 0;
}

static long closed_now(long arg, long value) {
    EXPECT(value, E_CLOSED);
    struct msg m = {0};
    EXPECT(chan_recv(ends[0], &m), E_CLOSED);
    EXPECT(chan_send(ends[0], &m), E_CLOSED);
    return 0;
}

static long after_message(long arg, long value) {
    EXPECT(cont_wait_msg(ends[0], closed_now, 0), 0);
    return 0;
}

long t_peer_program_ends(void) {
    EXPECT(channel_new(ends), 0);
    struct msg m = {.words = {5}};
    EXPECT(chan_send(ends[1], &m), 0);  // queued at ends[0]
    uint64_t give[1] = {ends[1]};
    long h = spawn_role(ROLE_EXIT, 0, 0, give, 1);  // holds ends[1], then exits
    EXPECT_TRUE(h > 0);
    EXPECT(cont_wait_msg(ends[0], peer_ended, 0), 0);
    EXPECT(cont_wait_proc((uint64_t)h, after_message, 0), 0);
    return 0;
}

// A program killed while it waits for everything (time, input, a message,
// a process): its records go with it (the leak check counts them).
static long sleeper_ready(long arg, long value) {
    EXPECT(value, 1);
    EXPECT(kill(child), 0);
    return 0;
}

long t_kill_while_waiting(void) {
    EXPECT(channel_new(ends), 0);
    uint64_t give[1] = {ends[1]};
    long h = spawn_role(ROLE_SLEEP, 0, 0, give, 1);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_msg(ends[0], sleeper_ready, 0);
}

// A child writing a region it was given; the region is revoked: the
// child's copy goes, its page is unmapped, its next write kills it.
static uint64_t region;
static long toucher_ended(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(status_of(child, &st), 0);
    char want[40];
    snprintf(want, sizeof want, "page fault at 0x%lx (", region_at(region));
    EXPECT(strncmp(st.reason, want, strlen(want)), 0);
    return 0;
}

static long touched(long arg, long value) {
    EXPECT(cap_revoke(region), 0);
    return cont_wait_proc(child, toucher_ended, 0);
}

long t_revoke_while_used(void) {
    region = (uint64_t)region_new(4096, CAP_READ | CAP_WRITE);
    EXPECT(channel_new(ends), 0);
    long copy = cap_derive(region, CAP_READ | CAP_WRITE | CAP_GRANT, 0, 0);
    uint64_t give[2] = {(uint64_t)copy, ends[1]};
    long h = spawn_role(ROLE_TOUCH, 0, 0, give, 2);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_msg(ends[0], touched, 0);
}

// A program killing itself through its own process handle (sent to it).
static long killed_itself(long arg, long state) {
    EXPECT(state, PROC_KILLED);
    struct proc_status st;
    EXPECT(status_of(child, &st), 0);
    EXPECT(strncmp(st.reason, "killed by usertests", 19), 0);
    return 0;
}

long t_kill_self(void) {
    EXPECT(channel_new(ends), 0);
    uint64_t give[1] = {ends[1]};
    long h = spawn_role(ROLE_KILLSELF, 0, 0, give, 1);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    struct msg m = {.caps = {(uint64_t)cap_derive(child, CAP_WRITE | CAP_GRANT, 0, 0)}, .ncaps = 1};
    EXPECT(chan_send(ends[0], &m), 0);
    return cont_wait_proc(child, killed_itself, 0);
}

// Programs spawned until memory runs out (each spawn fails cleanly, at
// whichever allocation), then all killed: everything comes back.
#define CROWD 2048
static uint64_t crowd[CROWD];
static int ncrowd;

static long kill_crowd(long arg, long value) {
    for (int i = 0; i < 16 && ncrowd > 0; i++)
        EXPECT(kill(crowd[--ncrowd]), 0);
    if (ncrowd > 0)
        return cont_queue(kill_crowd, 0);
    return 0;
}

static long grow_crowd(long arg, long value) {
    for (int i = 0; i < 8; i++) {
        long h = spawn_role(ROLE_IDLE, 0, 0, NULL, 0);
        if (h < 0) {
            EXPECT(h, E_NOMEM);
            printf("usertests: case %d: %d programs, then E_NOMEM\n", case_number, ncrowd);
            return cont_wait_time(1, kill_crowd, 0);  // (let them reach their waits)
        }
        EXPECT_TRUE(ncrowd < CROWD);
        crowd[ncrowd++] = (uint64_t)h;
    }
    return cont_queue(grow_crowd, 0);
}

long t_spawn_until_out_of_memory(void) { return grow_crowd(0, 0); }

// A program with thousands of continuations queued and a thousand timers
// is killed: its records go, and this program's timers still come in
// order, none early.
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

static long kill_flood(long arg, long value) {
    EXPECT(kill(child), 0);
    return 0;
}

long t_kill_busy_program(void) {
    long h = spawn_role(ROLE_FLOOD, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    started = ticks();
    EXPECT(cont_wait_time(9, timer_fired, 9), 0);
    EXPECT(cont_wait_time(3, timer_fired, 3), 0);
    EXPECT(cont_wait_time(6, timer_fired, 6), 0);
    return cont_wait_time(2, kill_flood, 0);
}

// A program file the loader refuses: E_BADPROG, nothing made. The grade
// adds a boot module "badelf" (hello with a broken ELF magic); without it
// (make qemu) the name is unknown: E_NOENT.
static bool have_program(const char *name) {
    char buf[64];
    for (long i = 0; sysinfo(SYSINFO_PROGRAM, i, buf, sizeof buf) == 0; i++)
        if (strcmp(buf, name) == 0)
            return true;
    return false;
}

long t_spawn_bad_program(void) {
    struct sys_mem m = mem_now();
    long r = region_new(4096, CAP_READ);
    struct spawn_cap give[1] = {{(uint64_t)r, SPAWN_MOVE}};
    long want = have_program("badelf") ? E_BADPROG : E_NOENT;
    if (want == E_NOENT)
        printf("usertests: case %d: no boot module badelf (the grade adds it)\n", case_number);
    EXPECT(spawn("badelf", give, 1), want);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // not moved
    EXPECT(cap_drop((uint64_t)r), 0);
    struct sys_mem after = mem_now();
    EXPECT(after.free_frames, m.free_frames);
    EXPECT(after.caps, m.caps);
    return 0;
}
