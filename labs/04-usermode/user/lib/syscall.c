// syscall.c: system-call wrappers (docs/abi.md).
//
// The number goes in rax, arguments in rdi, rsi, rdx; `syscall`
// overwrites rcx and r11, which the asm statement says, so the compiler
// keeps nothing there.
#include "syscall.h"

long sys_call(long number, long a, long b) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return result;
}

void exit(int code) {
    sys_call(SYS_EXIT, code, 0);
    for (;;)                           // exit does not return; if it did,
        __asm__ volatile("ud2");       // the kernel kills us with #UD
}

long write(const void *buf, unsigned long len) { return sys_call(SYS_WRITE, (long)buf, len); }
long map_raw(unsigned long len, int flags) { return sys_call(SYS_MAP, len, flags); }

void *map(unsigned long len, int flags) {
    long result = map_raw(len, flags);
    return result < 0 ? 0 : (void *)result;
}

long unmap(void *addr, unsigned long len) { return sys_call(SYS_UNMAP, (long)addr, len); }
long ticks(void) { return sys_call(SYS_TICKS, 0, 0); }
