// waitproc: a process's end is an event. Wait for a child that exits with
// a code, one that is killed (the reason arrives), one that has already
// ended (delivered at once), and try a stale process capability and a
// capability of the wrong type (errors from the wait itself).
#include "check.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

static long h_exit, h_fault, h_quick;
static int pending = 3;
static bool quick_seen, marker_seen_first;

static bool contains(const char *s, const char *word) {
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncmp(s, word, n) == 0)
            return true;
    return false;
}

static long finish(void) {
    if (--pending > 0)
        return 0;
    long r = region_new(4096, CAP_READ);
    CHECK(cont_wait_proc((uint64_t)r, NULL, 0) == E_TYPE, "waiting on a region: E_TYPE");
    cap_drop((uint64_t)r);
    cap_drop((uint64_t)h_quick);
    CHECK(cont_wait_proc((uint64_t)h_quick, NULL, 0) == E_BADHANDLE,
          "waiting on a stale process capability: E_BADHANDLE");
    return checks_done();
}

static long exited(long arg, long state) {
    struct proc_status st;
    CHECK(proc_status((uint64_t)h_exit, &st) == 0 && state == PROC_EXITED &&
              st.state == PROC_EXITED && st.code == 7,
          "a child that exits with 7: its end arrives, code 7");
    return finish();
}

static long killed(long arg, long state) {
    struct proc_status st;
    CHECK(proc_status((uint64_t)h_fault, &st) == 0 && state == PROC_KILLED &&
              st.state == PROC_KILLED && contains(st.reason, "page fault at 0x0"),
          "a child that is killed: its end arrives with the reason");
    printf("waitproc: the reason: %s\n", st.reason);
    return finish();
}

static long quick_ended(long arg, long state) {
    struct proc_status st;
    quick_seen = true;
    CHECK(state == PROC_EXITED && proc_status((uint64_t)h_quick, &st) == 0 && st.code == 0,
          "a child that had already ended: delivered at once");
    return finish();
}

static long marker(long arg, long value) {
    marker_seen_first = !quick_seen;
    CHECK(!marker_seen_first, "the wait on an ended process came before a later follow-up");
    return 0;
}

// The quick child (hello) ended long ago: wait for it now.
static long wait_quick(long arg, long now) {
    struct proc_status st;
    CHECK(proc_status((uint64_t)h_quick, &st) == 0 && st.state == PROC_EXITED,
          "hello has ended before the wait");
    cont_wait_proc((uint64_t)h_quick, quick_ended, 0);
    return cont_queue(marker, 0);  // runs after quick_ended: one FIFO per program
}

int main(void) {
    h_exit = spawn("exit7", NULL, 0);
    h_fault = spawn("faulter", NULL, 0);
    h_quick = spawn("hello", NULL, 0);
    CHECK(h_exit > 0 && h_fault > 0 && h_quick > 0, "spawn returns process capabilities at once");
    CHECK(cont_wait_proc((uint64_t)h_exit, exited, 0) == 0 &&
              cont_wait_proc((uint64_t)h_fault, killed, 0) == 0,
          "waiting on two running children");
    return cont_wait_time(5, wait_quick, 0);
}
