// kwrite: writing kernel memory (the direct map) must kill the program.
#include "printf.h"

int main(void) {
    printf("kwrite: writing the direct map at 0xffff800000100000\n");
    *(volatile unsigned long *)0xffff800000100000ul = 0xbad;
    printf("still alive: FAIL\n");
    return 1;
}
