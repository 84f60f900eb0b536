// caps.c: bad handles in every call lab 06 has that takes one (0, forged,
// stale after a drop, a revoke or a move by spawn, another program's), the
// wrong type and the wrong rights, a bad handle among bad arguments, and a
// full capability table (E_FULL) in every call that adds to it. final/
// links this file; its handles.c tries its further calls the same way.
#include "usertests.h"

// Every call that takes a handle, with good other arguments: the handle
// decides the result.
enum { NCALLS = 10 };
static const char *const call_names[NCALLS] = {"write",       "drop",     "derive", "revoke",
                                               "inspect",     "cap_type", "read",   "wait_input",
                                               "proc_status", "wait_proc"};

static long call_with(int which, uint64_t h) {
    static struct cap_info info;
    static struct proc_status st;
    static char buf[8];
    switch (which) {
    case 0: return console_write(h, "", 1);
    case 1: return cap_drop(h);
    case 2: return cap_derive(h, 0, 0, 0);
    case 3: return cap_revoke(h);
    case 4: return cap_inspect(h, &info);
    case 5: return cap_type(h);
    case 6: return console_read(h, buf, sizeof buf);
    case 7: return sys_call(SYS_WAIT_INPUT, (long)h, (long)noop, 0);
    case 8: return proc_status(h, &st);
    default: return cont_wait_proc(h, noop, 0);
    }
}

// Every call given h: E_BADHANDLE.
static long all_bad(uint64_t h, int line) {
    for (int i = 0; i < NCALLS; i++) {
        long got = call_with(i, h);
        if (got != E_BADHANDLE) {
            printf("usertests: case %d: %s(0x%lx) is %ld, expected E_BADHANDLE\n", case_number,
                   call_names[i], h, got);
            return line;
        }
    }
    return 0;
}
#define EXPECT_ALL_BAD(h) \
    do { \
        long err_ = all_bad((h), __LINE__); \
        if (err_) \
            return err_; \
    } while (0)

long c_handles_zero_and_forged(void) {
    long r = region_new(4096, CAP_READ);
    const uint64_t forged[] = {
        0,
        0x12345678,               // a slot far past the table
        0xffff0001,               // slot 65535
        (4095ul << 16) | 1,       // the last slot a table can have, empty
        (1ul << 40) | console,    // high garbage on a good handle
        console ^ 0x8000,         // the right slot, the wrong generation
        (uint64_t)r + 1,          // likewise
        (uint64_t)r & ~0xfffful,  // generation 0: never a handle
        ~0ul,
        1ul << 63,
    };
    for (unsigned i = 0; i < sizeof forged / sizeof forged[0]; i++)
        EXPECT_ALL_BAD(forged[i]);
    EXPECT(cap_type(console) >> 8, OBJ_CONSOLE);  // the real ones still work
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);
    return 0;
}

long c_handles_stale(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    EXPECT(cap_drop((uint64_t)r), 0);
    EXPECT_ALL_BAD((uint64_t)r);
    long again = region_new(4096, CAP_READ | CAP_WRITE);  // the same slot, a new generation
    EXPECT((long)((uint64_t)again >> 16), (long)((uint64_t)r >> 16));
    EXPECT_ALL_BAD((uint64_t)r);
    long c = cap_derive((uint64_t)again, CAP_READ | CAP_GRANT, 0, 0);
    long d = cap_derive((uint64_t)c, CAP_READ, 0, 0);
    long e = cap_derive(console, CAP_WRITE, 0, 0);
    long p = spawn_role(ROLE_LATER, 1, 0, NULL, 0);
    long q = cap_derive((uint64_t)p, CAP_READ, 0, 0);
    EXPECT(cap_revoke((uint64_t)again), 0);
    EXPECT(cap_revoke(console), 0);  // its own console's copies go too
    EXPECT(cap_revoke((uint64_t)p), 0);
    EXPECT_ALL_BAD((uint64_t)c);
    EXPECT_ALL_BAD((uint64_t)d);
    EXPECT_ALL_BAD((uint64_t)e);
    EXPECT_ALL_BAD((uint64_t)q);
    EXPECT(cap_type((uint64_t)again) >> 8, OBJ_REGION);  // the revoked ones stay
    EXPECT(console_write(console, "", 0), 0);
    long g = region_new(4096, CAP_READ);  // moved to a child by spawn
    struct spawn_cap give[2] = {{console, 0}, {(uint64_t)g, SPAWN_MOVE}};
    long h = spawn("hello", give, 2);
    EXPECT_TRUE(h > 0);
    EXPECT_ALL_BAD((uint64_t)g);
    return 0;
}

// Handles of this program, handed as numbers to another: they name
// nothing there (ROLE_FOREIGN checks; it exits 1 if one did).
static uint64_t foreign_child;
static long foreign_done(long arg, long state) {
    struct proc_status st;
    EXPECT(proc_status(foreign_child, &st), 0);
    EXPECT(st.state, PROC_EXITED);
    EXPECT(st.code, 0);
    return 0;
}

long c_handles_of_another_program(void) {
    for (int i = 0; i < 6; i++)  // slots the child's table does not have
        region_new(4096, CAP_READ);
    long a = region_new(4096, CAP_READ | CAP_WRITE);
    long b = cap_derive(console, CAP_WRITE, 0, 0);
    long h = spawn_role(ROLE_FOREIGN, a, b, NULL, 0);
    EXPECT_TRUE(h > 0);
    foreign_child = (uint64_t)h;
    return cont_wait_proc(foreign_child, foreign_done, 0);
}

long c_wrong_type_and_rights(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long p = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);
    char buf[8];
    struct proc_status st;
    EXPECT(console_write((uint64_t)r, "x", 1), E_TYPE);
    EXPECT(console_write((uint64_t)p, "x", 1), E_TYPE);
    EXPECT(console_read((uint64_t)r, buf, sizeof buf), E_TYPE);
    EXPECT(sys_call(SYS_WAIT_INPUT, r, (long)noop, 0), E_TYPE);
    EXPECT(cont_wait_proc(console, noop, 0), E_TYPE);
    EXPECT(cont_wait_proc((uint64_t)r, noop, 0), E_TYPE);
    EXPECT(proc_status((uint64_t)r, &st), E_TYPE);
    EXPECT(proc_status(console, &st), E_TYPE);
    EXPECT(cap_derive(console, CAP_WRITE, 4096, 4096), E_TYPE);  // only a region has a range
    EXPECT(cap_derive((uint64_t)p, CAP_READ, 0, 4096), E_TYPE);
    long r_none = cap_derive((uint64_t)r, 0, 0, 0);
    long w_only = cap_derive(console, CAP_WRITE, 0, 0);
    long r_only = cap_derive(console, console_readable() ? CAP_READ : 0, 0, 0);
    long p_none = cap_derive((uint64_t)p, CAP_GRANT, 0, 0);
    EXPECT(console_write((uint64_t)r_only, "x", 1), E_RIGHTS);
    EXPECT(console_read((uint64_t)w_only, buf, sizeof buf), E_RIGHTS);
    EXPECT(sys_call(SYS_WAIT_INPUT, w_only, (long)noop, 0), E_RIGHTS);
    EXPECT(proc_status((uint64_t)p_none, &st), E_RIGHTS);
    EXPECT(cont_wait_proc((uint64_t)p_none, noop, 0), E_RIGHTS);
    EXPECT(cap_derive((uint64_t)p_none, CAP_READ, 0, 0), E_RIGHTS);              // never more
    EXPECT(cap_derive((uint64_t)r_only, CAP_READ | CAP_WRITE, 0, 0), E_RIGHTS);  // never more
    EXPECT(cap_derive((uint64_t)r, CAP_EXEC, 0, 0), E_RIGHTS);
    struct spawn_cap give[1] = {{(uint64_t)r_only, 0}};  // without CAP_GRANT: not handed on
    EXPECT(spawn("hello", give, 1), E_RIGHTS);
    give[0].handle = (uint64_t)r_none;
    EXPECT(spawn("hello", give, 1), E_RIGHTS);
    EXPECT(cap_type((uint64_t)r_none), (OBJ_REGION << 8) | 0);  // still held
    return 0;
}

// A bad handle with every other argument bad too is E_BADHANDLE.
long c_handle_checked_first(void) {
    const uint64_t bad = 0xffff800000000000ul;
    EXPECT(console_write(0, (void *)bad, 8), E_BADHANDLE);
    EXPECT(console_read(0, (void *)bad, 8), E_BADHANDLE);
    EXPECT(sys_call4(SYS_DERIVE, 0, 99, 1, 1), E_BADHANDLE);
    EXPECT(sys_call4(SYS_DERIVE, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    EXPECT(cap_inspect(0, (struct cap_info *)bad), E_BADHANDLE);
    EXPECT(proc_status(0, (struct proc_status *)bad), E_BADHANDLE);
    EXPECT(sys_call4(SYS_WAIT_PROC, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    EXPECT(sys_call4(SYS_WAIT_INPUT, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    return 0;
}

// --- A full table. ---------------------------------------------------------------

#define TABLE_SLOTS 4096  // CAP_MAX_SLOTS (kernel/cap.h)
static uint64_t fill[TABLE_SLOTS];
static int nfill;

static long fill_table(void) {
    long h;
    while ((h = cap_derive(console, CAP_WRITE, 0, 0)) > 0)
        fill[nfill++] = (uint64_t)h;
    return h;
}

long c_table_full(void) {
    long held = region_new(4096, CAP_READ | CAP_WRITE);
    EXPECT(fill_table(), E_FULL);
    EXPECT(cap_derive(console, CAP_WRITE, 0, 0), E_FULL);
    EXPECT(cap_derive((uint64_t)held, CAP_READ, 0, 0), E_FULL);
    EXPECT(region_new(4096, CAP_READ), E_FULL);
    EXPECT(spawn_role(ROLE_EXIT, 0, 0, NULL, 0), E_FULL);  // no slot for its page
    EXPECT(spawn("hello", NULL, 0), E_FULL);               // no slot for its handle
    EXPECT(*(volatile uint64_t *)region_at((uint64_t)held), 0);
    cap_drop(fill[--nfill]);
    long h = spawn("hello", NULL, 0);  // the last slot: its process handle
    EXPECT_TRUE(h > 0);
    EXPECT(spawn("hello", NULL, 0), E_FULL);
    EXPECT(cap_drop((uint64_t)h), 0);
    EXPECT(cap_revoke(console), 0);  // every copy at once
    nfill = 0;
    long r = region_new(4096, CAP_READ);  // room again
    EXPECT_TRUE(r > 0);
    return 0;
}

// A derivation chain as long as a table allows: revoking its root deletes
// it leaves first without recursion, and dropping links re-parents.
long c_deep_derivation_chain(void) {
    uint64_t root = (uint64_t)cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0), h = root;
    uint64_t middle = 0;
    for (int i = 0; i < 4000; i++) {
        long next = cap_derive(h, CAP_WRITE | CAP_GRANT, 0, 0);
        EXPECT_TRUE(next > 0);
        if (i == 2000)
            middle = (uint64_t)next;
        h = (uint64_t)next;
    }
    EXPECT(cap_drop(middle), 0);  // its child joins its parent
    EXPECT(cap_revoke(root), 0);  // 3,999 go, deepest first
    EXPECT(cap_type(h), E_BADHANDLE);
    EXPECT(cap_drop(root), 0);
    return 0;
}
