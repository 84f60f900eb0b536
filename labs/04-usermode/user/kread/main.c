// kread: reading kernel memory kills the program. The kernel half of every
// address space is there for the kernel only (its pages lack the user bit,
// where they are mapped at all), so a user-mode read is a page fault and
// the kernel ends the program.
#include "printf.h"

int main(void) {
    printf("kread: reading kernel memory at 0xffffffff80100000\n");
    volatile unsigned long *kernel = (volatile unsigned long *)0xffffffff80100000ul;
    unsigned long value = *kernel;
    printf("read 0x%lx; still alive: FAIL\n", value);
    return 1;
}
