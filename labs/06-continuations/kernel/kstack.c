// kstack.c: how deep the one kernel stack has been used.
//
// kstack_fill writes a pattern over the whole stack (it must not be in
// use: call it from the boot stack, with no continuation running);
// kstack_highwater finds the lowest word the pattern no longer holds:
// everything above it has been written since. sched_init fills it at
// boot; kstack_depth_running fills it again for the test and the
// benchmark that compare 1 program with 1,000.
#include "cont.h"
#include "proc.h"
#include "syscall.h"

#define PATTERN 0x6b7374636b6b7374ul  // "tskkcts": unlikely to be written by chance

void kstack_fill(void) {
    // LAB 6: BEGIN SOLUTION
    for (uint64_t *p = (uint64_t *)user_kstack; p < (uint64_t *)user_kstack_top; p++)
        *p = PATTERN;
    // LAB 6: END SOLUTION
}

uint64_t kstack_highwater(void) {
    // LAB 6: BEGIN SOLUTION
    uint64_t *p = (uint64_t *)user_kstack;
    while (p < (uint64_t *)user_kstack_top && *p == PATTERN)
        p++;
    return (uint64_t)user_kstack_top - (uint64_t)p;
    // LAB 6: END SOLUTION
    // LAB 6: STUB return 0;   /* lab 6: kstack_highwater not written yet (kernel/kstack.c) */
}

// Load and start n copies of a program, then fill the stack and run them
// all to their ends: how deep the kernel stack went while they ran. The
// loading comes first, outside the measure: a program that waits costs a
// record, and what running n of them takes must not grow with n.
uint64_t kstack_depth_running(const char *name, int n) {
    // LAB 6: BEGIN SOLUTION
    uint64_t size;
    const uint8_t *file = find_program(name, &size);
    if (!file)
        return 0;
    proc_quiet = true;
    for (int i = 0; i < n; i++) {
        struct proc *p = proc_load(name, file, size);
        if (!p || proc_start(p) != 0)
            break;
    }
    kstack_fill();
    sched_run_until_idle();
    proc_quiet = false;
    return kstack_highwater();
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)name, (void)n;
    // LAB 6: STUB return 0;   /* lab 6: kstack_depth_running not written yet (kernel/kstack.c) */
}
