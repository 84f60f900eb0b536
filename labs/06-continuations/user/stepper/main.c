// stepper: STEPS continuations, each queuing the next; the last notes how
// far the flooder got meanwhile (for fairness).
#include "../fairness/fair.h"
#include "syscall.h"

static struct fair_shared *shared;

static long step(long n, long value) {
    if (n < STEPS)
        return cont_queue(step, n + 1);
    shared->flooder_at_finish = shared->flooder_ran;
    return 0;
}

int main(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps < 1 || cap_inspect(caps[0], &info) != 0)
        return 1;
    shared = (struct fair_shared *)info.base;
    return cont_queue(step, 1);
}
