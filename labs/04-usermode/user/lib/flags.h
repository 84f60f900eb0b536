// flags.h: programs that set RFLAGS bits before entering the kernel
// (flags.c). The kernel must clear every such bit on entry (syscall.h in
// the kernel): the program after one of these must start and run as usual.
#pragma once

#define RFLAGS_TF (1ul << 8)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_NT (1ul << 14)
#define RFLAGS_AC (1ul << 18)

// Set `bits`, make a write() system call with them set, set them again
// (the kernel gives the program its own flags back) and exit(0) with them
// still set. Does not return.
void flags_then_exit(unsigned long bits) __attribute__((noreturn));
// Set `bits`, then fault (ud2): the program is killed with them set.
void flags_then_fault(unsigned long bits) __attribute__((noreturn));
