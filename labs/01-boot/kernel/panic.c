// panic.c: panic() and power_off().
//
// A panic prints "panic: <file>:<line>: <message>" (the serial contract),
// a backtrace of return addresses, and powers QEMU off with the failure
// status, so no test ever waits for a timeout. On a machine without QEMU's
// exit device the CPU halts with interrupts off.
#include "panic.h"
#include "memlayout.h"
#include "x86.h"

static int panicking;
void (*power_off_hook)(void);

_Noreturn void power_off(int code) {
    cli();
    void (*hook)(void) = power_off_hook;
    if (hook) {  // cleared first: a panic inside it still powers off
        power_off_hook = NULL;
        hook();
    }
    outb(0xF4, code);     // QEMU's isa-debug-exit: ends QEMU here
    outw(0x604, 0x2000);  // QEMU without it: ACPI power-off (PIIX4)
    for (;;)
        hlt();
}

void panic_begin(void) {
    cli();
    if (panicking++) {  // a panic while panicking: just stop
        kprintf("\npanic: (nested panic)\n");
        power_off(EXIT_FAIL);
    }
    kprintf("panic: ");
}

_Noreturn void panic_end(uint64_t rbp) {
    print_backtrace(rbp);
    power_off(EXIT_FAIL);
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...) {
    panic_begin();
    kprintf("%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    panic_end((uint64_t)__builtin_frame_address(0));
}

// Follow the saved frame pointers (the kernel is built with them): each
// frame holds the caller's rbp and, above it, the return address. Stop at
// anything that is not a plausible kernel stack address.
int backtrace(uint64_t rbp, uint64_t *out, int max) {
    // LAB 1: BEGIN SOLUTION
    int n = 0;
    while (n < max) {
        if (rbp < KERNEL_VMA || (rbp & 7) != 0)
            break;
        uint64_t *frame = (uint64_t *)rbp;
        uint64_t ret = frame[1];
        if (ret < KERNEL_VMA)
            break;
        out[n++] = ret;
        if (frame[0] <= rbp)  // stacks grow down: callers are above
            break;
        rbp = frame[0];
    }
    return n;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)rbp;   /* lab 1: backtrace not written yet */
    // LAB 1: STUB (void)out;
    // LAB 1: STUB (void)max;
    // LAB 1: STUB return 0;
}

void print_backtrace(uint64_t rbp) {
    // LAB 1: BEGIN SOLUTION
    uint64_t addrs[16];
    int n = backtrace(rbp, addrs, 16);
    kprintf("  backtrace:");
    for (int i = 0; i < n; i++)
        kprintf(" %p", (void *)addrs[i]);
    kprintf("\n");
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)rbp;
    // LAB 1: STUB kprintf("  backtrace: (lab 1: print_backtrace not written yet)\n");
}
