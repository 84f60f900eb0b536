// capchild: the child captest spawns, one behaviour per mode.
//
// caps[0] is always a readable region whose first words say what to do
// (struct child_args, captest.h); the other capabilities depend on the
// mode. The exit code says how it went: 0 when every expectation held,
// else the number of the first one that failed. Modes that must die
// print nothing (they usually hold no console) and exit 99 if they live.
#include "../captest/captest.h"
#include "syscall.h"

static const struct child_args *args;

// Given no console: every way to write fails, and nothing is written.
static int no_console(int ncaps, const uint64_t *caps) {
    if (ncaps != 1)
        return 1;
    if (console_handle != 0 || write("x\n", 2) != E_BADHANDLE)
        return 2;
    long r = console_write(args->parent_console, "x\n", 2);
    if (r != E_BADHANDLE && r != E_TYPE)
        return 3;  // the parent's handle names, at most, one of ours
    for (uint64_t gen = 1; gen < 64; gen++)
        if (console_write((1ul << 16) | gen, "x\n", 2) != E_BADHANDLE)
            return 4;
    if (console_write(caps[0], "x\n", 2) != E_TYPE)
        return 5;  // a region is not a console
    return 0;
}

// Exactly what the parent listed: types and rights, and nothing after.
static int holds_exactly(int ncaps, const uint64_t *caps) {
    if ((uint64_t)ncaps != args->expect_n)
        return 1;
    for (int i = 0; i < ncaps; i++) {
        struct cap_info info;
        if (cap_inspect(caps[i], &info) != 0 || info.type != args->expect_type[i] ||
            info.rights != args->expect_rights[i])
            return 2 + i;
        if (caps[i] >> 16 != (uint64_t)i)
            return 20;  // slots 0 .. n-1, in order
    }
    for (uint64_t slot = (uint64_t)ncaps; slot < 64; slot++)
        for (uint64_t gen = 1; gen < 4; gen++)
            if (cap_type(slot << 16 | gen) != E_BADHANDLE)
                return 30;
    return 0;
}

static int write_to(const uint64_t *caps) {
    struct cap_info info;
    if (cap_inspect(caps[1], &info) != 0)
        return 1;
    *(volatile uint64_t *)info.base = 42;  // read-only: killed here
    return 99;
}

static int jump_to(const uint64_t *caps) {
    struct cap_info info;
    if (cap_inspect(caps[1], &info) != 0)
        return 1;
    *(volatile uint8_t *)info.base = 0xc3;  // ret: it would return if it ran
    ((void (*)(void))info.base)();          // no CAP_EXEC: killed here
    return 99;
}

// Derive a page of its region, give up the original, use the page, then
// drop its last capability to it and touch it again: killed.
static int derive_drop_touch(const uint64_t *caps) {
    long d = cap_derive(caps[1], CAP_READ | CAP_WRITE, 4096, 4096);
    if (d < 0)
        return 1;
    struct cap_info info;
    cap_inspect((uint64_t)d, &info);
    volatile uint64_t *p = (volatile uint64_t *)info.base;
    if (cap_drop(caps[1]) != 0)
        return 2;
    *p = 7;  // still mapped through d
    if (*p != 7)
        return 3;
    if (cap_revoke((uint64_t)d) != 0 || cap_drop((uint64_t)d) != 0)
        return 4;
    *p = 8;  // no capability left: killed here
    return 99;
}

// Spawn itself, deeper and deeper: the depth where spawn said E_LIMIT.
// Lab 06: spawn returns at once; the child's code comes to nest_done.
static long nest_done(long child, long state) {
    struct proc_status st;
    if (proc_status((uint64_t)child, &st) != 0 || state != PROC_EXITED || st.state != PROC_EXITED)
        return 100;
    return st.code + 1;
}

static int nest(const uint64_t *caps) {
    struct spawn_cap given = {caps[0], 0};
    long child = spawn("capchild", &given, 1);
    if (child == E_LIMIT)
        return 1;
    if (child < 0 || cont_wait_proc((uint64_t)child, nest_done, child) != 0)
        return 100;
    return 0;  // nothing more now: nest_done runs when the child has ended
}

int main(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps < 1 || cap_inspect(caps[0], &info) != 0 || info.type != OBJ_REGION)
        return 90;
    args = (const struct child_args *)info.base;
    switch (args->mode) {
    case MODE_NO_CONSOLE: return no_console(ncaps, caps);
    case MODE_HOLDS_EXACTLY: return holds_exactly(ncaps, caps);
    case MODE_WRITE: return write_to(caps);
    case MODE_JUMP: return jump_to(caps);
    case MODE_DERIVE_DROP_TOUCH: return derive_drop_touch(caps);
    case MODE_NEST: return nest(caps);
    }
    return 91;
}
