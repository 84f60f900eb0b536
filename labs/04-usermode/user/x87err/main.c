// x87err: an unmasked x87 error. fldcw unmasks divide-by-zero, fdivp
// divides 1 by 0 (the error is now pending) and fwait delivers it: #MF,
// which kills the program. (Without CR0.NE the CPU would signal it the
// legacy way, as an external interrupt, which is not the program's fault.)
// The program is built without x87 code, so this is inline asm.
#include "printf.h"

int main(void) {
    printf("x87err: dividing 1 by 0 with the x87 divide-by-zero exception unmasked\n");
    unsigned short control = 0x37f & ~(1 << 2);  // the default, with ZM clear
    __asm__ volatile("fldcw %0\n\t"
                     "fld1\n\t"
                     "fldz\n\t"
                     "fdivrp\n\t"  // st0 = 1 / 0: pending error
                     :
                     : "m"(control)
                     : "memory");
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("fwait");  // #MF here
    printf("still alive: FAIL\n");
    return 1;
}
