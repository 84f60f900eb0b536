// ticker: programs run with interrupts on, so the timer keeps ticking
// while a program computes. Spin until ticks() has advanced twice; give
// up (exit 1) after far more spinning than two ticks take.
#include "printf.h"
#include "syscall.h"

int main(void) {
    long start = ticks();
    for (long round = 0; round < 2000; round++) {
        for (volatile long i = 0; i < 100000; i++)
            ;
        if (ticks() >= start + 2) {
            printf("ticker: ticks advanced from %ld to %ld\n", start, ticks());
            return 0;
        }
    }
    printf("ticker: ticks stayed at %ld: are interrupts off in user mode? FAIL\n", start);
    return 1;
}
