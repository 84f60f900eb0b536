// manytimers: 100,000 continuations waiting on timers at once, registered
// in batches of 1,000 (each batch is a continuation, well inside the time
// budget), with deadlines spread over 100 ticks starting 150 ticks after
// the first batch, so that all of them wait together. All must be
// delivered, none early; then the program ends and the kernel's counts
// must come back.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define TOTAL 100000
#define BATCH 1000

static long registered, delivered, early, failed, most_waiting, start;

// arg: the tick it was registered at, times 256, plus its wait in ticks.
static long woke(long arg, long now) {
    long at = arg >> 8, n = arg & 255;
    if (now < at + n)
        early++;
    if (++delivered == TOTAL) {
        printf("manytimers: %d delivered, %ld early\n", TOTAL, early);
        CHECK(early == 0, "100,000 timer waits: none delivered early");
        CHECK(failed == 0, "every one of them registered");
        CHECK(most_waiting == TOTAL, "all 100,000 were waiting at once");
        return checks_done();
    }
    return 0;
}

static long batch(long k, long value) {
    long now = ticks();
    for (int i = 0; i < BATCH; i++, registered++) {
        long n = start + 150 + registered % 100 - now;  // the deadline, as a wait from now
        if (n < 1)
            n = 1;
        if (cont_wait_time(n, woke, now << 8 | n) != 0)
            failed++;
    }
    if (registered - delivered > most_waiting)
        most_waiting = registered - delivered;
    if (registered < TOTAL)
        return cont_queue(batch, k + 1);
    printf("manytimers: %ld registered, up to %ld waiting at once\n", registered, most_waiting);
    return 0;
}

int main(void) {
    printf("manytimers: %d continuations waiting on timers\n", TOTAL);
    start = ticks();
    return cont_queue(batch, 0);
}
