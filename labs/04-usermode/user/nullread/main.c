// nullread: nothing is mapped at address 0 (the loader never puts a program
// there), so following a null pointer is a page fault (read, not present).
#include "printf.h"

int main(void) {
    printf("nullread: reading address 0\n");
    volatile unsigned long *null = 0;
    __asm__ volatile("" : "+r"(null));  // reading *NULL in C is undefined: hide it
    unsigned long value = *null;
    printf("read 0x%lx; still alive: FAIL\n", value);
    return 1;
}
