// panic.h: stopping the kernel with a message, and powering QEMU off.
#pragma once
#include <stdint.h>
#include "kprintf.h"

// Status codes for QEMU's isa-debug-exit device (docs/design.md): QEMU exits
// with (code << 1) | 1, so 33 means "all passed" and 35 "failed".
#define EXIT_PASS 0x10
#define EXIT_FAIL 0x11

_Noreturn void power_off(int code);
// Called once, first thing, by power_off when set (final/'s trace dumps
// its ring there); NULL in every lab.
extern void (*power_off_hook)(void);

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

// For a panic that prints more than one line (a CPU exception with its
// registers): panic_begin() prints "panic: " and returns; the caller prints
// the rest, then panic_end() prints the backtrace from rbp and powers off.
void panic_begin(void);
_Noreturn void panic_end(uint64_t rbp);

// The return addresses along the saved frame pointers from rbp up, at
// most max of them, into out; returns how many. Stops at an address below
// KERNEL_VMA or misaligned, or when the chain does not go up the stack.
int backtrace(uint64_t rbp, uint64_t *out, int max);
void print_backtrace(uint64_t rbp);  // "  backtrace: 0x... 0x..."

// An assertion that stays in the kernel: a broken invariant is a panic.
#define assert(cond) \
    do { \
        if (!(cond)) \
            panic("assertion failed: %s", #cond); \
    } while (0)
