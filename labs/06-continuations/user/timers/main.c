// timers: waits of 20, 1 and 5 ticks, asked for in that order, must
// complete in deadline order (1, 5, 20), each no earlier than asked.
#include "check.h"
#include "printf.h"
#include "syscall.h"

static long start;
static int order[3], done;
static int early;

static long woke(long n, long now) {
    if (now < start + n || ticks() < start + n)
        early++;
    order[done++] = (int)n;
    printf("timers: the %ld-tick wait woke at tick +%ld\n", n, now - start);
    if (done < 3)
        return 0;
    CHECK(order[0] == 1 && order[1] == 5 && order[2] == 20,
          "waits of 1, 5 and 20 ticks complete in deadline order");
    CHECK(early == 0, "no wait completes early");
    return checks_done();
}

int main(void) {
    start = ticks();
    CHECK(cont_wait_time(20, woke, 20) == 0 && cont_wait_time(1, woke, 1) == 0 &&
              cont_wait_time(5, woke, 5) == 0,
          "three timer waits registered");
    CHECK(cont_wait_time(1l << 33, woke, 0) == E_INVAL, "a wait of 2^33 ticks: E_INVAL");
    return 0;
}
