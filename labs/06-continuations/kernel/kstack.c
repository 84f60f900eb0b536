// kstack.c: how deep the one kernel stack has been used.
//
// kstack_fill writes a pattern over the whole stack (it must not be in
// use: call it from the boot stack, with no continuation running);
// kstack_highwater finds the lowest word the pattern no longer holds:
// everything above it has been written since. sched_init fills it at
// boot; the tests and benchmarks fill it again before what they measure.
#include "cont.h"
#include "syscall.h"

#define PATTERN 0x6b7374636b6b7374ul  // "tskkcts": unlikely to be written by chance

void kstack_fill(void) {
    for (uint64_t *p = (uint64_t *)user_kstack; p < (uint64_t *)user_kstack_top; p++)
        *p = PATTERN;
}

uint64_t kstack_highwater(void) {
    uint64_t *p = (uint64_t *)user_kstack;
    while (p < (uint64_t *)user_kstack_top && *p == PATTERN)
        p++;
    return (uint64_t)user_kstack_top - (uint64_t)p;
}
