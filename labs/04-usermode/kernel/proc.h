// proc.h: user programs: loading, running, ending.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "jump.h"
#include "paging.h"

#define PROC_MAX_REGIONS 256
#define PROC_STACK_SIZE  (64ul << 10)  // a region of this size, its lowest page the guard

enum region_kind { REGION_IMAGE, REGION_STACK, REGION_MAP };

// A region of the single address space the program holds (vregion.c):
// [va, va + size) is reserved for it; the pages of it that are mapped in
// the program's page tables are backed by frames of its own.
struct region {
    uint64_t va, size;
    enum region_kind kind;
};

struct proc {
    int pid;
    char name[64];
    pte_t *root;  // its own page tables; the kernel half shared
    uint64_t entry, user_rsp;
    uint64_t stack_guard;  // the unmapped page below the stack
    int nregions;
    struct region regions[PROC_MAX_REGIONS];
    struct jump_point return_point;  // where exit and kill resume the kernel
    int64_t exit_code;               // all 64 bits of exit()'s argument
    bool killed;
};

extern struct proc *current_proc;

// Load an ELF program (the bytes of a boot module). NULL, with the line
// "proc - <name>: rejected: <why>" printed, if the file is refused or
// memory runs out; nothing is left allocated then.
struct proc *proc_load(const char *name, const uint8_t *file, uint64_t size);
// Run it until it exits or is killed, then free everything it had.
// Returns its exit code, or -1 when it was killed.
int64_t proc_run(struct proc *p);

// Find the boot module called `name`, load and run it (run.c): its exit
// code, or -1 when it was refused or killed.
int64_t run_program(const char *name);

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2);
int64_t sys_map(uint64_t len, uint64_t flags, uint64_t unused);
int64_t sys_unmap(uint64_t addr, uint64_t len, uint64_t unused);
