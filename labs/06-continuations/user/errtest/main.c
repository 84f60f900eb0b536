// errtest: a continuation that returns an error ends its program with that
// error as its exit code, and what it queued never runs; the parent sees
// the code through its wait.
#include "check.h"
#include "printf.h"
#include "syscall.h"

static long child;

static long ended(long arg, long state) {
    struct proc_status st;
    CHECK(proc_status((uint64_t)child, &st) == 0 && state == PROC_EXITED && st.code == E_INVAL,
          "a continuation returning E_INVAL ends its program with exit code E_INVAL");
    return checks_done();
}

int main(void) {
    child = spawn("errchild", NULL, 0);
    CHECK(child > 0, "spawn errchild");
    return cont_wait_proc((uint64_t)child, ended, 0);
}
