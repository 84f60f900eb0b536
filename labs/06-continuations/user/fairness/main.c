// fairness: a program that floods its own queue (flooder: 4000
// continuations, each queuing two more) must not starve another (stepper:
// 20 continuations, one after another). The run queue takes one
// continuation per program per turn, so the stepper finishes while the
// flooder has run about as many as it has; a global FIFO or LIFO would
// make it wait behind thousands.
#include "check.h"
#include "fair.h"
#include "printf.h"
#include "syscall.h"

static struct fair_shared *shared;
static long h[2];
static int pending = 2;

static long ended(long i, long state) {
    if (--pending > 0)
        return 0;
    printf("fairness: the stepper's %d continuations finished when the flooder had run %ld of %d\n",
           STEPS, shared->flooder_at_finish, FLOOD_TOTAL);
    CHECK(shared->flooder_at_finish > 0 && shared->flooder_at_finish <= 3 * STEPS,
          "a flooding program does not starve another (one continuation per program per turn)");
    CHECK(shared->flooder_ran == FLOOD_TOTAL, "and the flooder ran all of its own");
    return checks_done();
}

int main(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE | CAP_GRANT);
    struct cap_info info;
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0)
        return 1;
    shared = (struct fair_shared *)info.base;
    struct spawn_cap give = {(uint64_t)r, 0};
    h[0] = spawn("flooder", &give, 1);
    h[1] = spawn("stepper", &give, 1);
    CHECK(h[0] > 0 && h[1] > 0, "spawn flooder and stepper");
    for (int i = 0; i < 2; i++)
        cont_wait_proc((uint64_t)h[i], ended, i);
    return 0;
}
