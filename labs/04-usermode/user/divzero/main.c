// divzero: a division by zero (#DE) kills the program, not the kernel.
#include "printf.h"

int main(void) {
    printf("divzero: dividing by zero\n");
    unsigned long zero = 0;
    __asm__ volatile("xor %%edx, %%edx; mov $1, %%eax; div %0" : : "r"(zero) : "rax", "rdx");
    printf("still alive: FAIL\n");
    return 1;
}
