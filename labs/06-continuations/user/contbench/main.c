// contbench: the cost of one continuation from user mode: queue a null
// continuation, return, and be entered again (two system calls, the
// dispatcher, the entry). Instructions per round, as the exit code, for
// `make bench` (cont_round_trip).
#include <stdint.h>
#include "syscall.h"

#define ROUNDS 1000

static uint64_t start;

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static long round_trip(long n, long value) {
    if (n < ROUNDS)
        return cont_queue(round_trip, n + 1);
    exit((long)((rdtsc() - start) / ROUNDS));
}

int main(void) {
    start = rdtsc();
    return cont_queue(round_trip, 1);
}
