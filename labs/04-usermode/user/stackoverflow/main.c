// stackoverflow: recursion without end runs off the bottom of the stack
// into the guard page, an unmapped page the kernel leaves below every
// stack. The kernel kills the program and says it was the stack.
#include "printf.h"

// A way out that is never taken (volatile: the compiler cannot know), so
// that GCC does not refuse the function as infinite recursion.
static volatile unsigned long max_depth = ~0ul;

// Each call keeps 512 bytes of its own on the stack and uses the result of
// the call it makes, so the compiler can neither turn the recursion into a
// loop (a tail call) nor drop the array.
static __attribute__((noinline)) unsigned long dive(unsigned long depth) {
    volatile unsigned char frame[512];
    frame[depth % sizeof frame] = (unsigned char)depth;
    if (depth == max_depth)
        return 0;
    if (depth % 16 == 0)
        printf("stackoverflow: depth %lu, frame at %p\n", depth, (void *)frame);
    return dive(depth + 1) + frame[0];
}

int main(void) {
    printf("stackoverflow: recursing forever\n");
    dive(0);
    printf("still alive: FAIL\n");
    return 1;
}
