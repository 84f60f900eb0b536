// fpu-leave: leaves values in the x87 and SSE registers and changes their
// control words, then exits. fpu-fresh, run after it, must see none of it:
// no register state passes from one program to the next (docs/abi.md).
#include "printf.h"

int main(void) {
    static const unsigned long pattern[2] = {0x5eC2e75eC2e75eC2ul, 0xfeedfacecafef00dul};
    unsigned int mxcsr = 0x1f80 | 3u << 13;  // round toward zero
    unsigned short control = 0x27f;          // 53-bit precision
    __asm__ volatile(
        "movdqu %0, %%xmm0\n\t"
        "movdqa %%xmm0, %%xmm1\n\t movdqa %%xmm0, %%xmm2\n\t movdqa %%xmm0, %%xmm3\n\t"
        "movdqa %%xmm0, %%xmm4\n\t movdqa %%xmm0, %%xmm5\n\t movdqa %%xmm0, %%xmm6\n\t"
        "movdqa %%xmm0, %%xmm7\n\t movdqa %%xmm0, %%xmm8\n\t movdqa %%xmm0, %%xmm9\n\t"
        "movdqa %%xmm0, %%xmm10\n\t movdqa %%xmm0, %%xmm11\n\t movdqa %%xmm0, %%xmm12\n\t"
        "movdqa %%xmm0, %%xmm13\n\t movdqa %%xmm0, %%xmm14\n\t movdqa %%xmm0, %%xmm15\n\t"
        "fldpi\n\t fldpi\n\t fldpi\n\t"  // three values on the x87 stack
        "ldmxcsr %1\n\t"
        "fldcw %2"
        :
        : "m"(pattern), "m"(mxcsr), "m"(control)
        : "memory");  // no XMM clobbers: C code here never uses them
    printf("fpu-leave: x87 and SSE registers left set\n");
    return 0;
}
