// syscall.h: the system-call entry and its dispatch table.
#pragma once
#include <stdint.h>

// What userentry.asm saves, in this order from the lowest address.
struct syscall_frame {
    uint64_t number;
    uint64_t arg[6];                   // rdi, rsi, rdx, r10, r8, r9
    uint64_t rip, rflags, rsp;         // the program's, for sysret
};

void syscall_init(void);
int64_t syscall_dispatch(struct syscall_frame *frame);

extern char syscall_bad_return[];      // the iretq of the non-canonical return path
extern char user_kstack_top[];
void enter_user(uint64_t rip, uint64_t rsp) __attribute__((noreturn));
