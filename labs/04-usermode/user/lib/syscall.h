// syscall.h: the system calls, as C functions (syscall.c).
//
// kernel/abi.h holds the numbers, the map() flags and the error codes; it is
// included here, so a program can write MAP_WRITE or E_FAULT. Every call
// returns a value >= 0 on success or a negative E_ error; docs/abi.md says
// which errors each one gives.
#pragma once
#include "abi.h"

// Any system call, by number, with up to three arguments: the raw result.
// The functions below are built on it; tests use it for unknown numbers.
long sys_call(long number, long a, long b, long c);

// End the program with a 64-bit code (0: success), printed by the kernel.
void exit(long code) __attribute__((noreturn));

// Write len bytes to the console: len, or E_FAULT (then nothing is written).
long write(const void *buf, unsigned long len);

// len bytes of fresh zeroed memory, readable, plus MAP_WRITE or MAP_EXEC
// (never both). map() returns its address, or NULL on any error; map_raw()
// returns the address or the error itself (E_INVAL, E_NOMEM).
void *map(unsigned long len, int flags);
long map_raw(unsigned long len, int flags);

// Give back a region map() returned, with the len passed to map(): 0 or E_INVAL.
long unmap(void *addr, unsigned long len);

// Timer ticks since boot (TIMER_HZ, 100, a second).
long ticks(void);
