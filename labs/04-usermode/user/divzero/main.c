// divzero: dividing by zero raises #DE (divide error), which kills the
// program, not the kernel. The division is an inline `div` instruction:
// in C the compiler could see the zero and do anything (it is undefined).
#include "printf.h"

int main(void) {
    printf("divzero: dividing 1 by 0\n");
    unsigned long divisor = 0;
    __asm__ volatile("xor %%edx, %%edx\n\t"  // rdx:rax = 1
                     "mov $1, %%eax\n\t"
                     "div %0"  // rax = rdx:rax / divisor
                     :
                     : "r"(divisor)
                     : "rax", "rdx");
    printf("still alive: FAIL\n");
    return 1;
}
