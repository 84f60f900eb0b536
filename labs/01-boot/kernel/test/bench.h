// bench.h: benchmarks that count guest instructions.
//
// Under QEMU's `-icount shift=0,sleep=off` the TSC advances by one for
// every guest instruction, so an rdtsc difference is an exact, repeatable
// instruction count (`make bench` boots that way). A benchmark returns the
// instructions one operation takes:
//
//     BENCH(null_call, "instructions") {
//         return BENCH_LOOP(1000, do_nothing());
//     }
//
// Boot with `bench` (or `bench=a,b`) to run them; each prints
// "bench: <name> <value> <unit>".
#pragma once
#include <stdint.h>
#include "x86.h"

struct bench {
    const char *name, *unit;
    uint64_t (*run)(void);
};

#define BENCH(name, unit) \
    static uint64_t bench_fn_##name(void); \
    static const struct bench bench_##name \
        __attribute__((used, section(".benches"), aligned(8))) = {#name, unit, bench_fn_##name}; \
    static uint64_t bench_fn_##name(void)

// The TSC at the kernel's first instruction (boot.asm) and once kmain has
// started every subsystem: their difference is the boot_to_ready figure.
extern uint64_t boot_tsc_start, boot_tsc_ready;

// The cost of the loop itself, per iteration, so that it can be removed.
uint64_t bench_loop_overhead(uint64_t iterations);

// Run `statement` `iterations` times; the instructions per run, less the
// loop's own increment, compare and branch.
#define BENCH_LOOP(iterations, statement) \
    ({ \
        uint64_t start_ = rdtsc(); \
        for (uint64_t i_ = 0; i_ < (iterations); i_++) { \
            statement; \
            __asm__ volatile("" ::: "memory"); \
        } \
        uint64_t total_ = rdtsc() - start_; \
        (total_ - bench_loop_overhead(iterations)) / (iterations); \
    })
