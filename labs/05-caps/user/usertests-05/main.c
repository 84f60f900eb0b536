// usertests: lab 05's robustness suite. Lab 04's cases (calls04.c, through
// the library's map and unmap over capabilities), then lab 05's (caps05.c):
// pointers, handles (0, forged, stale, foreign, wrong type, wrong rights),
// a full table, derive's ranges, revoke, out of memory, spawn's lists and
// nesting; then the cases that must kill a program, each in a child
// (usertests05.h says how a child learns its kind); last, the memory and
// the table slots a program can see, compared with before the first case.
#include <stddef.h>
#include "printf.h"
#include "string.h"
#include "usertests05.h"

#define PAGE 4096ul

long spawn_child(enum child_kind kind, const uint64_t *words, int nwords,
                 const struct spawn_cap *extra, int nextra) {
    long r = region_new((unsigned long)kind * PAGE, CAP_READ | CAP_WRITE);
    if (r < 0)
        return r;
    struct cap_info info;
    cap_inspect((uint64_t)r, &info);
    if (nwords > 0)
        memcpy((void *)info.base, words, (size_t)nwords * sizeof *words);
    struct spawn_cap list[SPAWN_MAX_CAPS + 1] = {{(uint64_t)r, SPAWN_MOVE}, {console_handle, 0}};
    int n = 2;
    for (int i = 0; i < nextra && n <= SPAWN_MAX_CAPS; i++)
        list[n++] = extra[i];
    long proc = sys_call4(SYS_SPAWN, (long)"usertests-05", 12, (long)list, n);
    if (proc < 0)
        cap_drop((uint64_t)r);  // a failed spawn moves nothing
    return proc;
}

// --- The cases that must kill their program. -------------------------------

static const struct {
    enum child_kind kind;
    const char *name, *reason;
} fatal[] = {
    {CHILD_KREAD, "a child reading the kernel image is killed",
     "page fault at 0xffffffff80100000 (read"},
    {CHILD_KWRITE, "a child writing the kernel's direct map is killed",
     "page fault at 0xffff800000100000 (write"},
    {CHILD_NULLREAD, "a child reading address 0 is killed", "page fault at 0x0 (read"},
    {CHILD_RO_WRITE, "a child writing a region it holds read-only is killed",
     "(write, protection, user)"},
    {CHILD_NOEXEC_JUMP, "a child running code in a region without CAP_EXEC is killed",
     "(fetch, protection, user)"},
    {CHILD_DROP_TOUCH, "a child writing a region after its drop is killed",
     "(write, not present, user)"},
    {CHILD_RIGHTS_LEFT,
     "a child writing when only a read-only derived capability is left is killed",
     "(write, protection, user)"},
    {CHILD_TEXT_WRITE, "a child writing its own code is killed", "(write, protection, user)"},
    {CHILD_UD2, "a child running ud2 is killed by #UD", "#UD"},
    {CHILD_DIVZERO, "a child dividing by zero is killed by #DE", "#DE"},
    {CHILD_OUTPORT, "a child writing an I/O port is killed by #GP", "#GP"},
    {CHILD_STACK, "a child running off its stack is killed in the guard page", "stack overflow"},
};

static const char *judge_killed(long proc, const char *want) {
    struct proc_status st;
    if (proc < 0)
        return ut_why("spawn = %ld", proc);
    long r = proc_status((uint64_t)proc, &st);
    cap_drop((uint64_t)proc);
    if (r != 0)
        return ut_why("proc_status = %ld", r);
    if (st.state != PROC_KILLED)
        return ut_why("it exited with %ld", st.code);
    if (st.code != -1)
        return ut_why("killed, but its code is %ld, not -1", st.code);
    for (const char *s = st.reason; *s; s++)
        if (strncmp(s, want, strlen(want)) == 0)
            return NULL;
    return ut_why("killed: %s", st.reason);
}

static void run_fatal(void) {
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        ut_report("faults", fatal[i].name,
                  judge_killed(spawn_child(fatal[i].kind, 0, 0, 0, 0), fatal[i].reason));
}

// --- Counts. -------------------------------------------------------------------

uint64_t ut_memory_slack = 16 * PAGE;  // page tables (ut.h)
static long slots_before;

static const char *counts_back(void) {
    long slots = free_slots();
    if (slots != slots_before)
        return ut_why("free table slots %ld -> %ld", slots_before, slots);
    return NULL;
}

// Last: region_new with every page taken, then its count of the free
// memory compared with before the first case (caps05.c).
static const struct ut_case last[] = {
    {"out of memory", "region_new with no memory left: E_NOMEM, derive too; all given back",
     region_new_out_of_memory},
    {"counts", "free table slots as before the first case", counts_back},
};

int main(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps >= 1 && cap_inspect(caps[0], &info) == 0 && info.type == OBJ_REGION) {
        exit(child_main((enum child_kind)(info.length / PAGE), ncaps, caps,
                        (uint64_t *)info.base));  // all 64 bits of the code
    }
    // The table grows once to its full size and stays: before the memory.
    slots_before = free_slots();
    ut_memory_before = ut_free_memory();
    ut_run(calls04_cases, calls04_count);
    ut_run(caps05_cases, caps05_count);
    run_fatal();
    ut_run(last, 2);
    return ut_finish();
}
