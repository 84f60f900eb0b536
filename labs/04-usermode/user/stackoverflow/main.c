// stackoverflow: unbounded recursion runs into the guard page below the
// stack, and the kernel says so.
#include "printf.h"

static volatile unsigned long limit = ~0ul;

static __attribute__((noinline)) unsigned long dive(unsigned long depth) {
    volatile char frame[512];
    frame[depth % sizeof frame] = (char)depth;
    if (depth == limit)
        return 0;
    return dive(depth + 1) + frame[0];     // not a tail call: the frames stay
}

int main(void) {
    printf("stackoverflow: recursing forever\n");
    dive(0);
    printf("still alive: FAIL\n");
    return 1;
}
