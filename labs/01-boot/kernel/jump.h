// jump.h: save a place in the kernel and resume there later (jump.asm).
//
// jump_save(p) records the registers a C function must preserve, the stack
// pointer and the return address, and returns 0. jump_back(p, v) makes that
// same jump_save call return a second time, with v (never 0 there), on the
// stack it had: everything the code between called is abandoned. C's
// setjmp/longjmp, for a kernel without a C library.
//
// Who uses it: ktest, so that a test that faults or fails an ASSERT ends
// alone; and from lab 04, running a program, whose exit or fault resumes
// the kernel where it started the program. The place must still be live:
// jump back only into a function that has not returned.
#pragma once
#include <stdint.h>

struct jump_point {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;  // jump.asm's order
};

int jump_save(struct jump_point *p) __attribute__((returns_twice));
_Noreturn void jump_back(struct jump_point *p, int value);
