// usertests.h: the robustness suite (final/), in the spirit of xv6's
// usertests: what its files share.
//
// Every case runs in a program of its own, so a case that kills its
// program (a fault, on purpose or not) cannot end the others. The runner
// (runner.c) spawns `usertests` once per case and hands it the case
// number on a role page (a region); the child (child.c) runs the case and
// ends; the runner waits for that end and checks it against the table
// (cases.c): an exit code, or a kill with a reason.
//
// A case is a short function: 0 when every check held, else the line of
// the failed check (its exit code; EXPECT prints what went wrong). A case
// may also queue continuations and return 0: the program then ends with
// the first error one of them returns, or 0 when none is left.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "printf.h"
#include "string.h"
#include "syscall.h"

#define USER_TOP    0x0000800000000000ul  // the end of the lower half (docs/design.md)
#define KERNEL_TEXT 0xffffffff80100000ul
#define DIRECT_MAP  0xffff800000000000ul
#define FOREVER     (1l << 32)  // wait_time's longest wait: never delivered in a test

// How a case must end.
enum ending { ENDS_EXIT, ENDS_KILLED };
struct test_case {
    const char *name;
    long (*fn)(void);
    enum ending ends;
    long code;           // ENDS_EXIT: the exit code
    const char *reason;  // ENDS_KILLED: text the kill reason must contain ("a|b": either)
};
#define EXITS(c)    ENDS_EXIT, (c), NULL
#define KILLED(why) ENDS_KILLED, -1, (why)

extern const struct test_case cases[];
extern const int ncases;

// What the child was started as (its role page: the role, words a and b;
// given[]: the capabilities spawn_role moved to it).
enum role {
    ROLE_CASE = 1,  // run case a (b: its depth)
    ROLE_EXIT,      // hold what it was given, then exit with a
    ROLE_SLEEP,     // wait for everything it can, say so on given[0], wait to be killed
    ROLE_NEST,      // spawn ROLE_NEST one deeper until E_LIMIT: exit with the depth reached
    ROLE_FOREIGN,   // a, b: another program's handles: neither may name what it holds
    ROLE_TOUCH,     // given[0] a region, given[1] a channel end: write it, say so, go on
    ROLE_AWAIT,     // given[0] a channel end: wait for a message or its close, then end
    ROLE_IDLE,      // wait for a timer that never comes: until killed
    ROLE_FLOOD,     // continuations that queue two more each, and timers: until killed
    ROLE_KILLSELF,  // given[0] a channel end: receive a process handle on it, kill that
    ROLE_DOOMED,    // lab 06's roles (roles.c): wait for everything, fault after a ticks
    ROLE_CROWDED,   // thousands of records queued and timers waiting, then fault
    ROLE_SCRIBBLE,  // given[0] a region: write its first word every tick, until killed
    ROLE_LATER,     // wait a ticks, then exit with b
};

// The child's side (child.c).
extern uint64_t console;  // caps[0]: the console (READ, WRITE, GRANT under run=)
extern int case_number;   // 1-based, for messages
extern long case_depth;   // how deep in spawns the case runs (run=: 1; from the shell: 2)
// Spawn `usertests` in `role` with words a and b and up to 4 capabilities
// (moved to it): its process handle, or an error with nothing made.
long spawn_role(long role, long a, long b, const uint64_t *give, int ngive);
// From now on spawn_role lends one role page of this program's, made now,
// to each child instead of making one per child (the runner: the memory
// it holds stays the same from case to case). 0, or region_new's error.
int role_page_keep(void);
// The runner's side (runner.c).
int runner_main(uint64_t args);

// The roles lab 06's cases need (roles.c, lab 06's and linked here).
long role_doomed(long ticks);
long role_crowded(void);
long role_scribble(uint64_t region);
long role_later(long ticks, long code);

// A failed check: print what and where, give the exit code (the line).
long check_failed(int line, const char *what, long got, long want);
#define EXPECT(expr, want) \
    do { \
        long got_ = (long)(expr), want_ = (long)(want); \
        if (got_ != want_) \
            return check_failed(__LINE__, #expr, got_, want_); \
    } while (0)
#define EXPECT_TRUE(cond) \
    do { \
        if (!(cond)) \
            return check_failed(__LINE__, #cond, 0, 1); \
    } while (0)

// Helpers (helpers.c, lab 06's and linked here; mem_now and
// live_programs: child.c).
struct range {
    uint64_t addr, len;
};
// Ranges no call may read or write as a buffer: null, small, below the
// first region, across the end of the lower half, non-canonical, kernel
// text and the direct map, wrapping, half mapped. `size` is the length a
// fixed-size argument has; with variable lengths (`lengths` true) also a
// good address with huge and wrapping lengths. Returns how many.
int bad_ranges(struct range *out, uint64_t size, bool lengths);
#define MAX_BAD 32
uint64_t region_at(uint64_t handle);  // a region capability's base address
uint64_t readonly_page(void);         // a mapped page the program may only read
long noop(long arg, long value);      // a continuation that does nothing
struct sys_mem mem_now(void);         // sysinfo(SYSINFO_MEM)
long live_programs(void);             // programs running now
bool console_readable(void);          // run= gives READ; the shell keeps it
