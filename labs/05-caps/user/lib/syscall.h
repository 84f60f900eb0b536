// syscall.h: the system calls, as C functions (syscall.c).
//
// kernel/abi.h holds the numbers, the rights, the structures and the error
// codes; it is included here, so a program can write CAP_WRITE or E_FAULT.
// Every call returns a value >= 0 on success or a negative E_ error;
// docs/abi.md says which errors each one gives.
//
// A program's main may take its initial capabilities:
//     int main(int ncaps, const uint64_t *caps)
// (programs started by run= get one: the console, in caps[0]); lab 04's
// `int main(void)` programs still work.
#pragma once
#include <stdint.h>
#include "abi.h"

// Any system call, by number, with up to four arguments: the raw result.
// The functions below are built on it; tests use it for unknown numbers.
long sys_call(long number, long a, long b, long c);
long sys_call4(long number, long a, long b, long c, long d);

// End the program with a 64-bit code (0: success), printed by the kernel.
void exit(long code) __attribute__((noreturn));

// --- Capabilities (lab 05). -------------------------------------------------
long console_write(uint64_t console, const void *buf, unsigned long len);
long region_new(unsigned long len, unsigned rights);  // a handle, or an error
long cap_derive(uint64_t handle, unsigned rights, unsigned long offset, unsigned long length);
long cap_revoke(uint64_t handle);
long cap_drop(uint64_t handle);
long cap_inspect(uint64_t handle, struct cap_info *out);
long cap_type(uint64_t handle);  // (type << 8) | rights
long spawn(const char *name, const struct spawn_cap *caps, unsigned long n);
long proc_status(uint64_t handle, struct proc_status *out);

// The console handle the program started with (the first console
// capability among its initial ones; 0 if it was given none).
extern uint64_t console_handle;

// --- Lab 04's calls, kept as library functions over the ones above. -------

// Write len bytes to the console it started with: len, or E_FAULT (then
// nothing is written), or E_BADHANDLE when it was given no console.
long write(const void *buf, unsigned long len);

// len bytes of fresh zeroed memory, readable, plus MAP_WRITE or MAP_EXEC
// (never both): region_new then inspect. map() returns its address, or
// NULL on any error; map_raw() returns the address or the error itself.
void *map(unsigned long len, int flags);
long map_raw(unsigned long len, int flags);

// Give back a region map() returned, with the len passed to map(): drops
// its capability. 0 or E_INVAL.
long unmap(void *addr, unsigned long len);

// Timer ticks since boot (TIMER_HZ, 100, a second).
long ticks(void);
