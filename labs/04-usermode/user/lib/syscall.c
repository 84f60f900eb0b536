// syscall.c: system-call wrappers (kernel/abi.h, docs/abi.md).
//
// The number goes in rax and the arguments in rdi, rsi, rdx; the result
// comes back in rax. The `syscall` instruction itself overwrites rcx (with
// the return address) and r11 (with the flags), so the asm statement lists
// both as clobbered: the compiler must keep nothing there across the call.
// "memory" because the kernel may read or change memory the program owns
// (write reads the buffer; unmap takes memory away).
#include "syscall.h"
#include <stddef.h>

long sys_call(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return result;
}

void exit(long code) {
    sys_call(SYS_EXIT, code, 0, 0);
    for (;;)                      // not reached: the kernel never returns
        __asm__ volatile("ud2");  // from exit; if it did, #UD ends us
}

long write(const void *buf, unsigned long len) {
    return sys_call(SYS_WRITE, (long)buf, (long)len, 0);
}

long map_raw(unsigned long len, int flags) { return sys_call(SYS_MAP, (long)len, flags, 0); }

void *map(unsigned long len, int flags) {
    long result = map_raw(len, flags);
    return result < 0 ? NULL : (void *)result;
}

long unmap(void *addr, unsigned long len) { return sys_call(SYS_UNMAP, (long)addr, (long)len, 0); }

long ticks(void) { return sys_call(SYS_TICKS, 0, 0, 0); }
