// failspawn: a little of everything that allocates in lab 06, for
// failsweep=failspawn (kernel/failalloc.c), which runs it again and again
// with the first, second, third ... kernel allocation failing. It loads,
// makes a region and a read-only copy of it, spawns a child (itself)
// with the copy, waits a tick, then waits for the child's end; the child
// checks the word in the region and exits with a code the parent checks.
// Each step that fails ends the program with the error; with nothing
// failing, both exit 0. (final/'s failtest does the same with a channel.)
#include "syscall.h"

#define WORD       0xfa11a110cul
#define CHILD_CODE 42

static long child;

// The child: caps[0] is the read-only copy (a region is mapped where it
// was made: one address space), so the word must be there.
static int child_main(uint64_t copy) {
    struct cap_info info;
    long err = cap_inspect(copy, &info);
    if (err < 0)
        return (int)err;
    return *(const uint64_t *)info.base == WORD ? CHILD_CODE : 1;
}

static long child_ended(long unused, long state) {
    struct proc_status st;
    long err = proc_status((uint64_t)child, &st);
    if (err < 0)
        return err;
    // A failure inside the child (its load, its records) ends it with an
    // error or a kill: pass that on as this program's error.
    return state == PROC_EXITED && st.code == CHILD_CODE ? 0 : (st.code < 0 ? st.code : -1);
}

static long ticked(long unused, long now) {
    return cont_wait_proc((uint64_t)child, child_ended, 0);
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps == 1 && cap_type(caps[0]) >> 8 == OBJ_REGION)
        return child_main(caps[0]);
    long region = region_new(4096, CAP_READ | CAP_WRITE | CAP_GRANT);
    if (region < 0)
        return (int)region;
    struct cap_info info;
    long err = cap_inspect((uint64_t)region, &info);
    if (err < 0)
        return (int)err;
    *(uint64_t *)info.base = WORD;
    long copy = cap_derive((uint64_t)region, CAP_READ | CAP_GRANT, 0, 4096);
    if (copy < 0)
        return (int)copy;
    struct spawn_cap give = {(uint64_t)copy, SPAWN_MOVE};
    child = spawn("failspawn", &give, 1);
    if (child < 0)
        return (int)child;
    err = cont_wait_time(1, ticked, 0);
    return err < 0 ? (int)err : 0;
}
