// syscall.h: the system calls (kernel/abi.h has the numbers and errors).
#pragma once
#include "abi.h"

long sys_call(long number, long a, long b);
__attribute__((noreturn)) void exit(int code);
long write(const void *buf, unsigned long len);
long map_raw(unsigned long len, int flags);     // the address, or an E_ error
void *map(unsigned long len, int flags);        // the address, or 0 on error
long unmap(void *addr, unsigned long len);
long ticks(void);
