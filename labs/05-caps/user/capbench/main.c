// capbench: measures cap_type, the cheapest system call that looks a
// capability up and checks it, for `make bench` (compare null_syscall).
// Instructions per call, as its exit code.
#include <stdint.h>
#include "abi.h"

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline long cap_type_call(uint64_t handle) {
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"((long)SYS_CAP_TYPE), "D"(handle)
                     : "rcx", "r11", "memory");
    return result;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps < 1)
        return 0;
    uint64_t start = rdtsc();
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("" ::: "memory");
    uint64_t loop = rdtsc() - start;
    start = rdtsc();
    for (int i = 0; i < 1000; i++)
        cap_type_call(caps[0]);
    uint64_t total = rdtsc() - start;
    return (int)((total - loop) / 1000);
}
