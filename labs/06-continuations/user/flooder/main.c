// flooder: each continuation queues two more, until FLOOD_TOTAL have been
// queued: its own queue floods (for fairness).
#include "../fairness/fair.h"
#include "syscall.h"

static struct fair_shared *shared;
static long queued = 1;

static long flood(long arg, long value) {
    shared->flooder_ran++;
    for (int i = 0; i < 2 && queued < FLOOD_TOTAL; i++, queued++)
        cont_queue(flood, 0);
    return 0;
}

int main(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps < 1 || cap_inspect(caps[0], &info) != 0)
        return 1;
    shared = (struct fair_shared *)info.base;
    return cont_queue(flood, 0);
}
