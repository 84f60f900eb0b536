// usermode_bench.c: what entering and leaving user mode costs.
#include "bench.h"
#include "proc.h"

// A null system call, user `syscall` to back in user mode: the program
// nullsys measures it itself and exits with the count.
BENCH(null_syscall, "instructions") {
    int instructions = run_program("nullsys");
    return instructions < 0 ? 0 : (uint64_t)instructions;
}

// Loading hello (checking the ELF file, mapping and copying its segments,
// relocating it), running it to its exit and freeing it all.
BENCH(hello_load_and_run, "instructions") {
    uint64_t start = rdtsc();
    run_program("hello");
    return rdtsc() - start;
}
