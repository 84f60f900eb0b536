// abi.h: the system-call interface between user programs and the kernel.
//
// Shared by the kernel and the user library (user/lib), so both agree on
// every number. docs/abi.md explains each call and its failure contract.
//
// A call: the number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, then
// the `syscall` instruction. The result comes back in rax: a value >= 0,
// or a negative error below. rcx and r11 are overwritten (the CPU keeps
// the return address and flags there); every other register is preserved.
//
// Lab 05: every call that touches a resource names it by a capability
// handle (a slot of the caller's capability table and a generation, see
// cap.h). There is no ambient authority left: no console without a
// console capability, no memory without a region capability.
//
// Lab 06: a program is a set of continuations. Every continuation enters
// the program at its ELF entry point with rdi = fn, rsi = arg, rdx = value
// (fn 0: the first, main, with rsi = ncaps and rdx = the handles'
// address), on its user stack reset to the top; it ends with cont_return.
// Spawn returns at once; a program's end is an event (wait_proc).
#pragma once
#include <stdint.h>

#define SYS_EXIT        0   // exit(code): ends the program; never returns
#define SYS_WRITE       1   // write(console, buf, len): needs CAP_WRITE on a console; returns len
#define SYS_REGION_NEW  2   // region_new(len, rights): a new zeroed region; returns its handle
#define SYS_DROP        3   // drop(handle): deletes one capability
#define SYS_TICKS       4   // ticks(): timer ticks since boot (TIMER_HZ a second)
#define SYS_DERIVE      5   // derive(handle, rights, offset, length): returns the new handle
#define SYS_REVOKE      6   // revoke(handle): deletes every descendant; the handle stays
#define SYS_INSPECT     7   // inspect(handle, struct cap_info *out)
#define SYS_SPAWN       8   // spawn(name, name_len, const struct spawn_cap *caps, n)
#define SYS_PROC_STATUS 9   // proc_status(handle, struct proc_status *out)
#define SYS_CAP_TYPE    10  // cap_type(handle): (type << 8) | rights; only looks the handle up
#define SYS_READ        11  // read(console, buf, len): buffered input (CAP_READ); never waits
#define SYS_CONT_RETURN 12  // cont_return(value): 0 nothing more; else the program ends with it
#define SYS_CONT_QUEUE  13  // cont_queue(fn, arg): run fn(arg, 0) after this one returns
#define SYS_WAIT_TIME   14  // wait_time(ticks, fn, arg): fn(arg, now) once ticks have passed
#define SYS_WAIT_INPUT  15  // wait_input(console, fn, arg): fn(arg, bytes buffered) on input
#define SYS_WAIT_PROC   16  // wait_proc(handle, fn, arg): fn(arg, state) when it has ended
// (SYS_COUNT, one past the last call: abi_more.h, at the end)

// Rights a capability carries.
#define CAP_READ  1u  // a region: mapped, readable. A console: read and wait_input
#define CAP_WRITE 2u  // a region: writable. A console: write
#define CAP_EXEC  4u  // a region: executable (never with CAP_WRITE from region_new)
#define CAP_GRANT 8u  // may be handed to another process (spawn)
#define CAP_ALL   15u

// Object types (cap_info.type, cap_type() >> 8).
#define OBJ_REGION  1
#define OBJ_PROCESS 2
#define OBJ_CONSOLE 3

// What inspect() fills in. base is the address of the capability's first
// byte (the region's address plus the capability's offset); 0 for others.
struct cap_info {
    uint64_t type, rights, base, length;
};

// One capability handed to spawn(): copied (a child of the source in the
// derivation tree) or, with SPAWN_MOVE, moved (the caller loses it).
#define SPAWN_MOVE     1u
#define SPAWN_MAX_CAPS 64  // (SPAWN_PROC_RIGHTS, the handle spawn returns: abi_more.h)
struct spawn_cap {
    uint64_t handle;
    uint64_t flags;
};

// What proc_status() fills in.
#define PROC_EXITED     1
#define PROC_KILLED     2
#define PROC_REASON_MAX 160
struct proc_status {
    int64_t state;                 // PROC_EXITED or PROC_KILLED
    int64_t code;                  // exit()'s argument, all 64 bits; -1 when killed
    char reason[PROC_REASON_MAX];  // why it was killed ("" when it exited)
};

// Errors (negative results).
#define E_FAULT     (-1)   // a pointer argument is not the program's memory
#define E_INVAL     (-2)   // an argument is out of range (lengths, offsets, flags)
#define E_NOMEM     (-3)   // out of memory or address space
#define E_NOSYS     (-4)   // no system call with that number
#define E_BADHANDLE (-5)   // not a live capability of the caller: 0, forged, stale or foreign
#define E_TYPE      (-6)   // a capability of the wrong type for this call
#define E_RIGHTS    (-7)   // the capability lacks a right the call needs
#define E_FULL      (-8)   // the destination capability table is full (CAP_MAX_SLOTS)
#define E_NOENT     (-9)   // spawn: no program of that name
#define E_LIMIT     (-10)  // spawn: nested too deep (PROC_MAX_DEPTH); lab 06: too many records
#define E_BADPROG   (-11)  // spawn: the program file was refused (bad ELF)

// Lab 04's map() flags, kept for the user library's map() wrapper.
#define MAP_WRITE 1
#define MAP_EXEC  2

// What a later snapshot adds (final/: channels and the shell's calls) and
// what it changes with them: the number of calls, the rights of the
// handle spawn returns.
#include "abi_more.h"
