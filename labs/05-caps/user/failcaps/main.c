// failcaps: a little of everything that allocates in lab 05, for
// failsweep=failcaps (kernel/failalloc.c), which runs it again and again
// with the first, second, third ... kernel allocation failing. It loads,
// makes a region and a read-only copy of it, revokes a second copy,
// spawns a child (itself) that gets the read-only copy moved to it, and
// reads the child's end from its process capability. The child checks
// the word in the region and exits with a code the parent checks. A step
// that fails ends the program with its error; nothing failing, both exit
// 0 and 42. (Lab 04's failmap and lab 06's failspawn do the same with
// their labs' calls.)
#include "syscall.h"

#define WORD       0xfa11ca95ul
#define CHILD_CODE 42

// The child: caps[0] is the read-only copy (a region is mapped where it
// was made: one address space), so the word must be there.
static int child_main(uint64_t copy) {
    struct cap_info info;
    long err = cap_inspect(copy, &info);
    if (err < 0)
        return (int)err;
    return *(const uint64_t *)info.base == WORD ? CHILD_CODE : 1;
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
    long spare = cap_derive((uint64_t)region, CAP_READ, 0, 4096);
    if (spare < 0)
        return (int)spare;
    if ((err = cap_revoke((uint64_t)spare)) < 0)
        return (int)err;
    long copy = cap_derive((uint64_t)region, CAP_READ | CAP_GRANT, 0, 4096);
    if (copy < 0)
        return (int)copy;
    struct spawn_cap give = {(uint64_t)copy, SPAWN_MOVE};
    long child = spawn("failcaps", &give, 1);  // runs to its end in here
    if (child < 0)
        return (int)child;
    struct proc_status st;
    if ((err = proc_status((uint64_t)child, &st)) < 0)
        return (int)err;
    // A failure inside the child (its load, its calls) ends it with an
    // error or a kill: pass that on as this program's error.
    if (st.state != PROC_EXITED || st.code != CHILD_CODE)
        return st.code < 0 ? (int)st.code : -1;
    return 0;
}
