// start.c: where every program begins.
//
// The kernel enters _start with rsp at the top of the stack (16-byte
// aligned) and nothing on it: no return address, no arguments. _start calls
// main and passes its result to exit.
#include "syscall.h"

int main(void);

__attribute__((noreturn, used)) void start_c(void) { exit(main()); }

// In asm, so that the stack is aligned as a call expects: rsp + 8 a
// multiple of 16 at a function's first instruction.
__asm__(".globl _start\n"
        "_start:\n"
        "    and $-16, %rsp\n"
        "    xor %ebp, %ebp\n"
        "    call start_c\n"
        "    ud2\n");
