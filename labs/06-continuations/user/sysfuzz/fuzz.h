// fuzz.h: what sysfuzz's files share (main.c: the three roles and the
// loop; calls.c: one random system call at a time, of the calls every lab
// from 06 has; more.c: the lab's own calls). final/ links this file and
// calls.c; main.c and more.c are each lab's own.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "rng.h"  // splitmix64: the same sequence for the same seed
#include "syscall.h"

// --- What the fuzzing program holds. --------------------------------------
// The pool: handles the random calls may use up, drop, revoke, move or
// hand on. type is OBJ_REGION ... or 0 when not known; base and length
// are a region's (0 otherwise), for pointers into it.
#define POOL_MAX 48
struct held {
    uint64_t handle;
    uint64_t type, base, length;
};

// The capabilities that must stay: no random call drops or moves them
// (only looks at them, derives from them or revokes their descendants).
struct fixed {
    uint64_t console;      // to print the progress and the verdict
    uint64_t scratch;      // where the kernel writes results (below)
    uint64_t scratch_ro;   // its read-only page
    uint64_t marker;       // the region that tells a child it is one (main.c)
    uint64_t children[4];  // the children's own process capabilities
    int nchildren;
};

// scratch: a region of SCRATCH_SIZE bytes whose first SCRATCH_RW bytes
// are writable, the next page read-only and the last page not mapped at
// all, so that an output running past the writable part fails (E_FAULT)
// without touching anything the program needs.
#define SCRATCH_SIZE (64ul << 10)
#define SCRATCH_RW   (56ul << 10)

struct fuzz {
    uint64_t seed, target;  // how many calls to make
    uint64_t calls;         // made so far
    uint64_t anomalies;     // results the ABI does not allow
    bool child;             // a child: no spawns
    uint64_t scratch_base;
    struct held pool[POOL_MAX];
    int npool;
    uint64_t stale[16];  // handles dropped or moved away: they must fail
    int nstale;
    struct fixed fixed;
    uint64_t pending;  // continuations queued or waiting (noop runs them)
    // What the calls returned: [0] success, [-e] error e, by call number.
    uint64_t results[SYS_COUNT + 1][14];
};
extern struct fuzz fz;

// calls.c
long fuzz_call(long nr, long a, long b, long c, long d);  // counted, checked
void fuzz_one(void);                                      // one random call
int fuzz_setup_scratch(void);                             // 0 or an error
void pool_add(uint64_t handle, uint64_t type);
void pool_drop_all(void);
long noop(long arg, long value);
// ... and what more.c builds its calls from.
void anomaly(const char *what, long nr, long r, long a, long b, long c, long d);
long call_expecting_badhandle(long nr, long a, long b, long c, long d);  // must be E_BADHANDLE
bool is_stale(uint64_t h);  // dropped or moved away: must stay dead
void remember_stale(uint64_t h);
void pool_forget_handle(uint64_t h);  // gone (moved, dropped): now stale
long pruning(uint64_t h, long r);     // E_BADHANDLE for h: forget it
uint64_t dead_handle(void);           // surely names nothing of ours
uint64_t any_handle(void);            // for a call that only looks
uint64_t handle_of(uint64_t type);    // a pool handle of that type, mostly
uint64_t spendable(uint64_t h);       // h, or 0 if it is a fixed one
uint64_t edge_address(void);          // 0, non-canonical, the kernel's, unmapped ...
uint64_t out_ptr(uint64_t size);      // where the kernel may write size bytes
uint64_t length(void);
void call_region_new(void);
void call_derive(void);
void call_look(void);
void call_wait(void);

// more.c: the lab's own.
extern const long fuzz_lowest_error;  // the most negative error abi.h lists
extern const long look_calls[];       // calls of one handle (and an output) that only look
extern const int nlook_calls;
struct wait_call {
    long nr;        // a wait for an object: fn(arg, value) once it is ready
    uint64_t type;  // the object's type
};
extern const struct wait_call wait_calls[];
extern const int nwait_calls;
void fuzz_more(uint64_t r);  // r in 57 .. 85: a lab's share of the calls
bool fuzz_other_more(void);  // a rarer call of the lab's own, if it has one
