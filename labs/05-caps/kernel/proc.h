// proc.h: user programs: loading, running, ending; spawn and process objects.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "abi.h"
#include "cap.h"
#include "jump.h"
#include "paging.h"

#define PROC_MAX_REGIONS 4  // the image and the stack (lab 05: the rest are capabilities)
#define PROC_STACK_SIZE  (64ul << 10)  // a region of this size, its lowest page the guard
#define PROC_MAX_DEPTH   8             // spawn inside spawn inside ...: at most this deep

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
    struct cap_table caps;           // everything else it may touch
    struct proc_object *object;      // its status, when a parent holds a capability to it
    int depth;                       // 0 for run= programs
    struct jump_point return_point;  // where exit and kill resume the kernel
    int64_t exit_code;               // all 64 bits of exit()'s argument
    bool killed;
    uint8_t fpu[512] __attribute__((aligned(16)));  // its x87/SSE state while a child runs
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
// Run it until it exits or is killed, then free everything it had.
// Returns its exit code, or -1 when it was killed. May be called from a
// system call of another program (spawn): the child runs on the kernel
// stack below the caller's frame, and the caller's state comes back after.
int64_t proc_run(struct proc *p);
// Free a process that has not run (a failed spawn, a test).
void proc_free(struct proc *p);
// Set a spawned child going (spawn.c, once it holds its capabilities and
// p->object is its process object): lab 05 runs it to its end at once.
void proc_launch(struct proc *p);
// End the running program (current_proc) with a reason: killed (procrun.c).
_Noreturn void proc_kill_current(const char *reason);

// Find the boot module called `name` (run.c): its bytes, or NULL.
const uint8_t *find_program(const char *name, uint64_t *size);
// Load and run `name` with one capability, the console (READ|WRITE|GRANT),
// in slot 0: its exit code, or -1 when it was refused or killed.
int64_t run_program(const char *name);

// The last capability to a process object is gone (cap.c).
void proc_object_release(struct object *obj);

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_spawn(uint64_t name, uint64_t name_len, uint64_t caps, uint64_t n);
int64_t sys_proc_status(uint64_t handle, uint64_t out, uint64_t unused1, uint64_t unused2);
