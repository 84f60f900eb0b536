// latency: waits one tick, and exits with the TSC read at the first
// instruction of the continuation it woke: the kernel's benchmark takes
// the TSC of the tick away from it (timer_event_latency).
#include <stdint.h>
#include "syscall.h"

static long woke(long arg, long now) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    exit((long)((uint64_t)hi << 32 | lo));
}

int main(void) { return cont_wait_time(1, woke, 0); }
