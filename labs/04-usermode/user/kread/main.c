// kread: reading kernel memory must kill the program (a page fault: the
// page is there but not for user code).
#include "printf.h"

int main(void) {
    printf("kread: reading kernel text at 0xffffffff80100000\n");
    volatile unsigned long *kernel = (unsigned long *)0xffffffff80100000ul;
    printf("read %lx: still alive: FAIL\n", *kernel);
    return 1;
}
