// syscall.h: the system-call entry and its dispatch table.
#pragma once
#include <stdint.h>
#include "x86.h"

// RFLAGS bits a program can set (or try to) that the kernel must never run
// with (Intel SDM vol. 1, 3.4.3). IF is x86.h's RFLAGS_IF.
#define RFLAGS_TF   (1ul << 8)   // single-step
#define RFLAGS_DF   (1ul << 10)  // string instructions run backwards
#define RFLAGS_IOPL (3ul << 12)  // I/O privilege level: 0 means no ports for ring 3
#define RFLAGS_NT   (1ul << 14)  // nested task: iretq faults in long mode
#define RFLAGS_RF   (1ul << 16)  // resume: suppresses a debug fault
#define RFLAGS_AC   (1ul << 18)  // alignment check (and SMAP's override)
// Cleared by the CPU on `syscall` (the SFMASK MSR). Interrupts and
// exceptions get flags 0x2 in trap_entry (vectors.asm), and the kernel sets
// the same again where exit and kill resume it (procrun.c), so no flag a
// program set ever reaches kernel code.
#define RFLAGS_KERNEL 0x2ul  // no flag set (bit 1 always is); IF off
static inline void write_rflags(uint64_t flags) {
    __asm__ volatile("push %0; popfq" : : "r"(flags) : "memory", "cc");
}
#define SYSCALL_FLAGS_CLEARED \
    (RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF | RFLAGS_AC)

// What userentry.asm saves, in this order from the lowest address.
struct syscall_frame {
    uint64_t number;
    uint64_t arg[6];            // rdi, rsi, rdx, r10, r8, r9
    uint64_t rip, rflags, rsp;  // the program's, for sysret
};

void syscall_init(void);
int64_t syscall_dispatch(struct syscall_frame *frame);

// Lab 05 on: each system call is registered in the file that implements
// it, next to its function: SYSCALL(SYS_DERIVE, sys_derive). syscall_init
// gathers them into the table syscall_dispatch reads, so a later lab adds
// calls (lab 06: contsys.c) without touching this file or syscall.c.
typedef int64_t (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t);
struct syscall_entry {
    uint64_t number;  // abi.h's SYS_...
    syscall_fn fn;
};
#define SYSCALL(nr, fn) \
    static const struct syscall_entry syscall_entry_##fn \
        __attribute__((used, section(".syscalls"), aligned(8))) = {nr, fn}

extern char syscall_bad_return[];              // the iretq of the non-canonical return path
extern char user_kstack[], user_kstack_top[];  // the stack for entries from user mode
extern uint64_t user_entry_stack;              // where entries start on it (its top at first)
// Start running a program at rip with stack rsp; its rdi, rsi and rdx are
// arg0, arg1 and arg2 (lab 05: main's two arguments and 0; lab 06: a
// continuation's fn, arg and value), every other register zero, and its
// FPU clean.
void enter_user(uint64_t rip, uint64_t rsp, uint64_t arg0, uint64_t arg1, uint64_t arg2)
    __attribute__((noreturn));
