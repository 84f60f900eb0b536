// bench.c: running the benchmarks registered with BENCH() (see bench.h),
// plus two that measure this lab's own paths.
#include "bench.h"
#include "cmdline.h"
#include "kprintf.h"
#include "panic.h"
#include "trap.h"

extern const struct bench __benches_start[], __benches_end[];

uint64_t bench_loop_overhead(uint64_t iterations) {
    uint64_t start = rdtsc();
    for (uint64_t i = 0; i < iterations; i++)
        __asm__ volatile("" ::: "memory");
    return rdtsc() - start;
}

static void bench_action(const char *list) {
    kprintf(
        "bench: (counts are guest instructions when QEMU runs with -icount shift=0,sleep=off)\n");
    for (const struct bench *b = __benches_start; b < __benches_end; b++) {
        if (list && *list && !cmdline_list_contains(list, b->name))
            continue;
        kprintf("bench: %s %lu %s\n", b->name, b->run(), b->unit);
    }
    power_off(EXIT_PASS);
}
CMDLINE_KEY(bench, "run the benchmarks (bench=a,b for some), print bench: lines, power off",
            bench_action);

// --- This lab's benchmarks. ------------------------------------------------

static volatile bool expecting_breakpoint;

// int3 is a trap: the saved rip is already past it, so returning resumes.
static bool catch_benchmark_breakpoint(struct trapframe *tf) {
    return expecting_breakpoint && tf->vector == T_BREAKPOINT;
}
FAULT_HANDLER(catch_benchmark_breakpoint);

// From `int3` through vectors.asm, trap() and back with iretq.
BENCH(exception_round_trip, "instructions") {
    expecting_breakpoint = true;
    uint64_t n = BENCH_LOOP(1000, __asm__ volatile("int3"));
    expecting_breakpoint = false;
    return n;
}

// From the kernel's first instruction (boot.asm's _start) until kmain has
// started every subsystem: the cost of the kernel's own boot, boot page
// tables included (it grows with what each lab sets up). boot.asm writes
// the first, kmain the second.
uint64_t boot_tsc_start, boot_tsc_ready;
BENCH(boot_to_ready, "instructions") { return boot_tsc_ready - boot_tsc_start; }

BENCH(ksnprintf_int, "instructions") {
    char buf[32];
    return BENCH_LOOP(1000, snprintf(buf, sizeof buf, "%d", 123456789));
}
