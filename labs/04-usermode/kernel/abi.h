// abi.h: the system-call interface between user programs and the kernel.
//
// Shared by the kernel and the user library (user/lib), so both agree on
// every number. docs/abi.md explains each call.
//
// A call: the number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, then
// the `syscall` instruction. The result comes back in rax: a value >= 0,
// or a negative error below. rcx and r11 are overwritten (the CPU keeps
// the return address and flags there); every other register is preserved.
#pragma once

#define SYS_EXIT  0  // exit(code): ends the program; never returns
#define SYS_WRITE 1  // write(buf, len): to the console; returns len
#define SYS_MAP   2  // map(len, flags): fresh zeroed memory; returns its address
#define SYS_UNMAP 3  // unmap(addr, len): gives back exactly one map()ed region
#define SYS_TICKS 4  // ticks(): timer ticks since boot (TIMER_HZ a second)
#define SYS_COUNT 5

// map() flags: memory is always readable; at most one of these (W^X).
#define MAP_WRITE 1
#define MAP_EXEC  2

// Errors (negative results).
#define E_FAULT (-1)  // a pointer argument is not the program's memory
#define E_INVAL (-2)  // an argument is out of range
#define E_NOMEM (-3)  // out of memory or address space
#define E_NOSYS (-4)  // no system call with that number
