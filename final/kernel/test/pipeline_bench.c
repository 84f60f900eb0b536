// pipeline_bench.c: what passing 1 MiB along the pipeline demo costs,
// against copying that MiB once.
//
// pipeline_per_mib: the whole demo (user/pipeline: three stages spawned,
//     a 1 MiB region filled, moved through the three stages and back, each
//     stage adding 1 to every word, the source checking every word, the
//     lines they print), from the boot stack, per MiB it passes: one.
//     Most of it is the four passes over the words, not the moves.
// memcpy_per_mib: the kernel's memcpy copying 1 MiB once, between two
//     blocks of frames through the direct map: what one hand-off would
//     cost if a stage's input were copied to it instead of moved.
#include "bench.h"
#include "frame.h"
#include "memlayout.h"
#include "proc.h"
#include "string.h"

#define MIB       (1ul << 20)
#define MIB_ORDER 8  // 2^8 pages of 4 KiB

BENCH(pipeline_per_mib, "instructions") {
    uint64_t start = rdtsc();
    int64_t code = run_program("pipeline");
    uint64_t spent = rdtsc() - start;
    return code == 0 ? spent : 0;  // 0: the demo failed (its lines say why)
}

BENCH(memcpy_per_mib, "instructions") {
    uint64_t from = frame_alloc_order(MIB_ORDER), to = frame_alloc_order(MIB_ORDER);
    uint64_t spent = 0;
    if (from && to) {
        memset(phys_to_virt(from), 0x5a, MIB);  // touched once, as the demo's words are
        uint64_t start = rdtsc();
        memcpy(phys_to_virt(to), phys_to_virt(from), MIB);
        spent = rdtsc() - start;
    }
    if (from)
        frame_free_order(from, MIB_ORDER);
    if (to)
        frame_free_order(to, MIB_ORDER);
    return spent;
}
