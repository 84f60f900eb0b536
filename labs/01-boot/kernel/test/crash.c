// crash.c: crashing on purpose, to check that crashes are reported well.
//
// crash=panic      a plain panic
// crash=stack      unbounded recursion into the guard page below the stack
// crash=pagefault  a write through a null pointer
// crash=divide     a division by zero
// Each must end in "panic: ..." and QEMU's failure exit (the grader checks).
#include "cmdline.h"
#include "panic.h"
#include "string.h"

// Recurse "forever" (the limit is never reached, but keeps the compiler
// from calling it infinite); the array and the use after the call stop it
// from turning the recursion into a loop.
static volatile uint64_t recursion_limit = ~0ul;

static __attribute__((noinline)) uint64_t overflow_stack(uint64_t depth) {
    volatile uint8_t frame[256];
    if (depth == recursion_limit)
        return 0;
    frame[depth % sizeof frame] = (uint8_t)depth;
    return overflow_stack(depth + 1) + frame[0];
}

static void crash_action(const char *what) {
    if (what && strcmp(what, "panic") == 0)
        panic("deliberate panic (crash=panic on the command line)");
    if (what && strcmp(what, "stack") == 0) {
        kprintf("crash: overflowing the kernel stack\n");
        overflow_stack(0);
    }
    if (what && strcmp(what, "pagefault") == 0) {
        // Through a volatile variable: the compiler may not assume it is null.
        static volatile uint64_t *volatile null_pointer;
        *null_pointer = 1;
    }
    if (what && strcmp(what, "divide") == 0) {
        // In asm: the compiler turns 1 / x into a comparison, without div.
        uint64_t zero = 0;
        __asm__ volatile("xor %%edx, %%edx; mov $1, %%eax; div %0" : : "r"(zero) : "rax", "rdx");
    }
    kprintf("crash: unknown '%s' (known: panic, stack, pagefault, divide); booting on\n",
            what ? what : "");
}
CMDLINE_KEY(crash, "crash on purpose: panic, stack, pagefault or divide", crash_action);
