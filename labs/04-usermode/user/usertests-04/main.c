// usertests: lab 04's robustness suite. Every call lab 04 has, with every
// bad argument (calls04.c): each must come back as an error and the
// program must go on. Lab 04 has no spawn, so one program runs them all,
// and the cases that must kill a program are programs of their own, graded
// in grading/specs/04-usermode.json:
//   kread, kwrite, nullread       reading or writing the kernel, address 0
//   execstack, execheap,          running code in the stack, in map()ed
//   execrodata, writetext         memory, in read-only data; writing code
//   stackoverflow                 running into the stack guard page
//   divzero, ud2, outport, x87err #DE, #UD, #GP (I/O port), #MF
//   flags-*, exit-*               flags set on entry, 64-bit exit codes
// The last case compares the memory map() can get with what it got before
// the first: the part of the kernel's frame and region counts a program
// can see (run: done shows all of them).
#include "syscall.h"
#include <stddef.h>
#include "ut.h"

// Lab 04's regions come back at the same addresses: exactly equal. Built
// in lab 05 (whose abi.h has region_new), the library's map() is a region
// in the single address space, among other programs' (ut.h).
#ifdef SYS_REGION_NEW
uint64_t ut_memory_slack = 16 * 4096;
#else
uint64_t ut_memory_slack = 0;
#endif

static const char *memory_back(void) {
    uint64_t now = ut_free_memory();
    return ut_memory_same(ut_memory_before, now)
               ? NULL
               : ut_why("free memory %lu -> %lu bytes", ut_memory_before, now);
}

static const struct ut_case last[] = {
    {"out of memory", "free memory after every case as before the first", memory_back},
};

int main(void) {
    ut_memory_before = ut_free_memory();
    ut_run(calls04_cases, calls04_count);
    ut_run(last, 1);
    return ut_finish();
}
