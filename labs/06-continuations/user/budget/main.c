// budget: spinner loops forever in one continuation; two workers do their
// work meanwhile. The spinner is killed for its time budget and the
// workers finish.
#include "check.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

static long h[3];
static int pending = 3;
static struct proc_status st[3];

static long ended(long i, long state) {
    proc_status((uint64_t)h[i], &st[i]);
    if (--pending > 0)
        return 0;
    CHECK(st[0].state == PROC_KILLED && strncmp(st[0].reason, "time budget exceeded", 20) == 0,
          "a continuation that loops forever is killed for its time budget");
    printf("budget: the spinner's reason: %s\n", st[0].reason);
    CHECK(st[1].state == PROC_EXITED && st[1].code == 0 && st[2].state == PROC_EXITED &&
              st[2].code == 0,
          "two other programs finish their work meanwhile");
    return checks_done();
}

int main(void) {
    h[0] = spawn("spinner", NULL, 0);
    h[1] = spawn("worker", NULL, 0);
    h[2] = spawn("worker", NULL, 0);
    for (int i = 0; i < 3; i++)
        if (h[i] < 0 || cont_wait_proc((uint64_t)h[i], ended, i) != 0)
            return 1;
    return 0;
}
