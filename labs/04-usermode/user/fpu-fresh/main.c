// fpu-fresh: a program starts with a clean x87/SSE state (docs/abi.md):
// control word 0x37f, MXCSR 0x1f80, an empty x87 stack, every x87 and XMM
// register zero, whatever the program before it (fpu-leave) left there.
#include "check.h"
#include "printf.h"

int main(void) {
    static unsigned char area[512] __attribute__((aligned(16)));
    __asm__ volatile("fxsave64 %0" : "=m"(area));
    unsigned short fcw = area[0] | area[1] << 8;
    unsigned int mxcsr =
        area[24] | area[25] << 8 | (unsigned)area[26] << 16 | (unsigned)area[27] << 24;
    CHECK(fcw == 0x37f, "x87 control word is 0x37f");
    CHECK((area[2] | area[3] << 8) == 0, "x87 status word is 0");
    CHECK(area[4] == 0, "x87 stack is empty (abridged tag word 0)");
    CHECK(mxcsr == 0x1f80, "MXCSR is 0x1f80");
    bool zero = true;
    for (int i = 32; i < 32 + 8 * 16; i++)  // st0-st7
        zero = zero && area[i] == 0;
    CHECK(zero, "x87 registers are zero");
    zero = true;
    for (int i = 160; i < 160 + 16 * 16; i++)  // xmm0-xmm15
        zero = zero && area[i] == 0;
    CHECK(zero, "XMM registers are zero");
    return checks_done();
}
