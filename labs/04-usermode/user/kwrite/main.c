// kwrite: writing kernel memory (here the direct map of physical memory,
// where every frame can be reached) kills the program with a page fault.
#include "printf.h"

int main(void) {
    printf("kwrite: writing the kernel's direct map at 0xffff800000100000\n");
    *(volatile unsigned long *)0xffff800000100000ul = 0xbad;
    printf("still alive: FAIL\n");
    return 1;
}
