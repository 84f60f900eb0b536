// fpumix: no x87 or SSE state passes between programs whose continuations
// interleave (docs/abi.md). Started by run= (holding the console), it
// spawns a second copy of itself with no capabilities, whose 40
// continuations each leave a pattern in every XMM register and the x87
// stack and change both control words. Its own 40 continuations take turns
// with them (one continuation per program per turn); each looks at its
// state with fxsave and must find the clean one: control word 0x37f, MXCSR
// 0x1f80, an empty x87 stack, zero registers.
#include "check.h"
#include "printf.h"
#include "syscall.h"

static long child;

// The spawned copy: dirty the state, 40 times.
static long dirty(long left, long value) {
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
        "fldpi\n\t fldpi\n\t fldpi\n\t"
        "ldmxcsr %1\n\t"
        "fldcw %2"
        :
        : "m"(pattern), "m"(mxcsr), "m"(control)
        : "memory");
    return left > 1 ? cont_queue(dirty, left - 1) : 0;
}

static int clean_runs, runs;

static bool state_is_clean(void) {
    static unsigned char area[512] __attribute__((aligned(16)));
    __asm__ volatile("fxsave64 %0" : "=m"(area));
    unsigned short fcw = area[0] | area[1] << 8;
    unsigned int mxcsr =
        area[24] | area[25] << 8 | (unsigned)area[26] << 16 | (unsigned)area[27] << 24;
    bool clean = fcw == 0x37f && mxcsr == 0x1f80 && area[4] == 0;
    for (int i = 32; i < 160 + 16 * 16; i++)  // st0-st7, then xmm0-xmm15
        clean = clean && area[i] == 0;
    return clean;
}

static long child_ended(long arg, long state) {
    struct proc_status st;
    CHECK(proc_status((uint64_t)child, &st) == 0 && st.state == PROC_EXITED && st.code == 0,
          "the dirtying copy ran its 40 continuations and exited 0");
    CHECK(clean_runs == runs && runs == 40,
          "40 continuations taking turns with another program's each found a clean x87/SSE state");
    printf("fpumix: %d of %d continuations found a clean state\n", clean_runs, runs);
    cap_drop((uint64_t)child);
    return checks_done();
}

static long look(long left, long value) {
    runs++;
    clean_runs += state_is_clean();
    return left > 1 ? cont_queue(look, left - 1) : cont_wait_proc((uint64_t)child, child_ended, 0);
}

int main(int ncaps, const uint64_t *caps) {
    (void)caps;
    if (ncaps == 0)  // the copy: it holds nothing, not even the console
        return (int)cont_queue(dirty, 40);
    child = spawn("fpumix", NULL, 0);
    CHECK(child > 0, "spawn a copy with no capabilities");
    if (child <= 0)
        return checks_done();
    return (int)cont_queue(look, 40);
}
