// kread: reading kernel memory kills the program. The kernel's pages are
// in every page table, but without the user bit, so the read is a page
// fault (a protection fault: the page is present) and the kernel ends us.
#include "printf.h"

int main(void) {
    printf("kread: reading kernel text at 0xffffffff80100000\n");
    volatile unsigned long *kernel = (volatile unsigned long *)0xffffffff80100000ul;
    unsigned long value = *kernel;
    printf("read 0x%lx; still alive: FAIL\n", value);
    return 1;
}
