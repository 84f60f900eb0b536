// nullsys: measures a null system call, for `make bench`.
//
// It makes 1000 system calls with a number the kernel does not have (the
// shortest round trip: entry, dispatch, E_NOSYS, sysret), counts the
// instructions with rdtsc (exact under QEMU's -icount shift=0,sleep=off),
// takes off the loop's own cost and returns the instructions per call as
// its exit code, which the kernel's benchmark reads.
#include <stdint.h>

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline long null_syscall(void) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(1000L) : "rcx", "r11", "memory");
    return result;
}

int main(void) {
    uint64_t start = rdtsc();
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("" ::: "memory");
    uint64_t loop = rdtsc() - start;
    start = rdtsc();
    for (int i = 0; i < 1000; i++)
        null_syscall();
    uint64_t total = rdtsc() - start;
    return (int)((total - loop) / 1000);
}
