// proc.h: user programs: loading, starting, ending; spawn and process objects.
//
// Lab 06: a program is a set of continuations (cont.h). It has no kernel
// stack and no saved registers: only the records of what it has queued
// and what it waits for. It ends when it calls exit, when a continuation
// returns an error, when it is killed, or when it has nothing queued and
// nothing waiting.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "abi.h"
#include "cap.h"
#include "cont.h"
#include "paging.h"

#define PROC_MAX_REGIONS 4  // the image and the stack (lab 05: the rest are capabilities)
#define PROC_STACK_SIZE  (64ul << 10)  // a region of this size, its lowest page the guard
#define PROC_MAX_DEPTH   8             // spawn inside spawn inside ...: at most this deep
#define PROC_MAX_CONTS   (1u << 18)    // records a program may have queued or waiting

enum region_kind { REGION_IMAGE, REGION_STACK };

// A part of the single address space that belongs to the process itself
// (not a capability): [va, va + size) reserved for it, the pages of it
// mapped in its page tables backed by frames of its own.
struct proc_region {
    uint64_t va, size;
    enum region_kind kind;
};

// What a process capability names: the child's status, which outlives the
// child itself (it is freed when the last capability to it goes).
struct proc_object {
    struct object obj;  // OBJ_PROCESS
    int pid;
    struct proc_status status;  // state 0 while it runs
    struct proc *proc;          // the process while it runs, else NULL
};

struct proc {
    int pid;
    char name[64];
    pte_t *root;  // its own page tables; the kernel half shared
    uint64_t entry, user_rsp;
    uint64_t stack_guard;    // the unmapped page below the stack
    uint64_t start_args[2];  // rdi and rsi at entry: ncaps, the handles' address
    int nregions;
    struct proc_region regions[PROC_MAX_REGIONS];
    struct cap_table caps;       // everything else it may touch
    struct proc_object *object;  // its status, when a parent holds a capability to it
    int depth;                   // 0 for run= programs
    // Lab 06: its continuations.
    struct cont *ready_head, *ready_tail;  // runnable, oldest first
    struct proc *run_next;                 // the round-robin list of programs (sched.c)
    bool on_run_list;
    uint32_t conts;                                // records it has queued or waiting
    uint32_t waits_time, waits_input, waits_proc;  // of which waiting, by kind
    uint32_t waits_msg;                            // final/: at channel endpoints
    int64_t *result;                               // proc_run's: where its end goes
    struct proc *live_next, *live_prev;            // final/: the list of live programs
    uint64_t inbox_va;  // final/: where chan_deliver puts a message (0: not yet found)
    void *inbox;        // ... and the same bytes through the direct map
};

extern struct proc *current_proc;

// Load an ELF program (the bytes of a boot module). NULL, with the line
// "proc - <name>: rejected: <why>" printed, if the file is refused or
// memory runs out; nothing is left allocated then. proc_load_err also
// says which: *err = E_BADPROG or E_NOMEM.
struct proc *proc_load(const char *name, const uint8_t *file, uint64_t size);
struct proc *proc_load_err(const char *name, const uint8_t *file, uint64_t size, int *err);
// Put the handles (already in p's table) on top of p's stack and pass
// their number and address to its main. Cannot fail (n <= SPAWN_MAX_CAPS).
void proc_set_start_handles(struct proc *p, const uint64_t *handles, int n);
// Make p's first continuation (main) runnable: 0, or E_NOMEM.
int proc_start(struct proc *p);
// From the boot stack (run=, tests, benchmarks): start p and run the
// dispatcher until no program is left. Returns p's exit code, or -1 when
// it was killed (or could not start).
int64_t proc_run(struct proc *p);
// End p: record and print how (state PROC_EXITED with code, or PROC_KILLED
// with reason), tell its waiters, free its records and everything it had.
// The caller then goes back to the dispatcher (sched_restart).
void proc_end(struct proc *p, int state, int64_t code, const char *reason);
// End the running program (current_proc) and go back to the dispatcher.
_Noreturn void proc_kill_current(const char *reason);
_Noreturn void proc_exit_current(int64_t code);
uint64_t proc_live_count(void);  // programs started and not yet ended
// Hooks for final/ (procrun.c): NULL unless set.
extern void (*proc_started)(struct proc *p, struct cont *main);
extern void (*proc_ending)(struct proc *p, int state, int64_t code);
extern bool proc_quiet;  // true: no "exit 0" lines (tests that run 1,000 programs)
// Free a process that has not run (a failed spawn, a test).
void proc_free(struct proc *p);
// Set a spawned child going (spawn.c, once it holds its capabilities and
// p->object is its process object): lab 06 queues its main.
void proc_launch(struct proc *p);

// Find the boot module called `name` (run.c): its bytes, or NULL.
const uint8_t *find_program(const char *name, uint64_t *size);
// Load and run `name` with one capability, the console (READ|WRITE|GRANT),
// in slot 0 ("name:a:b": and a read-only region holding "a b" in slot 1):
// its exit code, or -1 when it was refused or killed.
int64_t run_program(const char *name);

// The last capability to a process object is gone (cap.c).
void proc_object_release(struct object *obj);

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_spawn(uint64_t name, uint64_t name_len, uint64_t caps, uint64_t n);
int64_t sys_proc_status(uint64_t handle, uint64_t out, uint64_t unused1, uint64_t unused2);
