// fanout: one continuation queues 100 follow-ups. Each must run exactly
// once, and none before the one that queued it has returned. Every
// continuation must also start on the user stack reset to its top: the
// address of a local is the same in each, and just below the handles the
// program started with.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define N 100

static int ran[N];
static int children_done, early;
static bool parent_returned;
static uint64_t top;           // where main's handles are: the top of the stack
static uintptr_t first_local;  // a local's address in the first follow-up to run
static int moved;              // follow-ups whose local was somewhere else

static long after(long arg, long now);

static long child(long i, long value) {
    volatile int local = 0;
    if (!first_local)
        first_local = (uintptr_t)&local;
    if ((uintptr_t)&local != first_local || top - (uintptr_t)&local >= 512)
        moved++;
    if (!parent_returned)
        early++;
    if (i >= 0 && i < N)
        ran[i]++;
    if (++children_done == N)
        return cont_wait_time(3, after, 0);  // then a late duplicate would show
    return local;
}

static long parent(long arg, long value) {
    volatile int local = 0;
    CHECK(top - (uintptr_t)&local < 512, "a continuation starts at the top of the user stack");
    int queued = 0;
    for (int i = 0; i < N; i++)
        queued += cont_queue(child, i) == 0;
    CHECK(queued == N, "100 follow-ups queued");
    parent_returned = true;  // the last thing before returning
    return local;
}

static long after(long arg, long now) {
    int once = 0;
    for (int i = 0; i < N; i++)
        once += ran[i] == 1;
    CHECK(once == N && children_done == N, "each of the 100 ran exactly once");
    CHECK(early == 0, "none ran before the continuation that queued them returned");
    CHECK(moved == 0, "the user stack is reset for each continuation");
    return checks_done();
}

int main(int ncaps, const uint64_t *caps) {
    top = (uint64_t)caps;
    printf("fanout: one continuation queues %d\n", N);
    return cont_queue(parent, 0);
}
