// nullread: a null pointer must kill the program (nothing is mapped there).
#include "printf.h"

int main(void) {
    printf("nullread: reading address 0\n");
    volatile unsigned long *null = 0;
    __asm__ volatile("" : "+r"(null));     // the compiler may not assume null
    printf("read %lx: still alive: FAIL\n", *null);
    return 1;
}
