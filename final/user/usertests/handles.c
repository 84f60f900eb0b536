// handles.c: bad handles in every call that takes one (0, forged, stale
// after a drop, a revoke or a move, another program's), the wrong type and
// the wrong rights; and a full capability table (E_FULL) in every call
// that adds to it. (Lab 06's caps.c, linked here, does the same for the
// calls lab 06 has.)
#include "usertests.h"

// Every call that takes a handle first, with good other arguments: the
// handle decides the result. (A good handle may make a call succeed.)
enum { NCALLS = 16 };
static const char *const call_names[NCALLS] = {
    "write",    "drop",        "derive",     "revoke",    "inspect",   "proc_status",
    "cap_type", "read",        "wait_input", "wait_proc", "chan_send", "chan_recv",
    "wait_msg", "region_phys", "kill",       "poweroff"};

static long call_with(int which, uint64_t h) {
    static struct cap_info info;
    static struct proc_status st;
    static struct msg m;
    static char buf[8];
    switch (which) {
    case 0: return console_write(h, "", 1);
    case 1: return cap_drop(h);
    case 2: return cap_derive(h, 0, 0, 0);
    case 3: return cap_revoke(h);
    case 4: return cap_inspect(h, &info);
    case 5: return proc_status(h, &st);
    case 6: return cap_type(h);
    case 7: return console_read(h, buf, sizeof buf);
    case 8: return sys_call(SYS_WAIT_INPUT, (long)h, (long)noop, 0);
    case 9: return cont_wait_proc(h, noop, 0);
    case 10: return chan_send(h, &m);
    case 11: return chan_recv(h, &m);
    case 12: return cont_wait_msg(h, noop, 0);
    case 13: return region_phys(h);
    case 14: return kill(h);
    default: return poweroff(h, 0);
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

long t_handle_zero(void) {
    EXPECT_ALL_BAD(0);
    return 0;
}

long t_handles_forged(void) {
    long r = region_new(4096, CAP_READ);
    const uint64_t forged[] = {
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

long t_handle_stale_after_drop(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    EXPECT(cap_drop((uint64_t)r), 0);
    EXPECT_ALL_BAD((uint64_t)r);
    long again = region_new(4096, CAP_READ | CAP_WRITE);  // the same slot, a new generation
    EXPECT((long)((uint64_t)again >> 16), (long)((uint64_t)r >> 16));
    EXPECT_TRUE(again != r);
    EXPECT(cap_type((uint64_t)r), E_BADHANDLE);
    EXPECT(cap_drop((uint64_t)r), E_BADHANDLE);
    EXPECT(cap_type((uint64_t)again) >> 8, OBJ_REGION);
    return 0;
}

long t_handle_stale_after_revoke(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long c = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    long d = cap_derive((uint64_t)c, CAP_READ, 0, 0);
    long e = cap_derive(console, CAP_WRITE, 0, 0);
    long f = cap_derive((uint64_t)e, CAP_WRITE, 0, 0);
    EXPECT(cap_revoke((uint64_t)r), 0);
    EXPECT(cap_revoke(console), 0);  // its own console's copies go too
    EXPECT_ALL_BAD((uint64_t)c);
    EXPECT_ALL_BAD((uint64_t)d);
    EXPECT_ALL_BAD((uint64_t)e);
    EXPECT_ALL_BAD((uint64_t)f);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // the revoked one stays
    EXPECT(console_write(console, "", 0), 0);
    return 0;
}

long t_handle_stale_after_move(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    struct msg m = {.caps = {(uint64_t)r}, .ncaps = 1};
    EXPECT(chan_send(e[0], &m), 0);
    EXPECT_ALL_BAD((uint64_t)r);
    long g = region_new(4096, CAP_READ);
    long h = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    struct spawn_cap give[1] = {{(uint64_t)g, SPAWN_MOVE}};
    long child = spawn("hello", give, 1);
    EXPECT_TRUE(child > 0);
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

long t_handles_of_another_program(void) {
    long a = region_new(4096, CAP_READ | CAP_WRITE);
    long b = cap_derive(console, CAP_WRITE, 0, 0);
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    long h = spawn_role(ROLE_FOREIGN, a, b, NULL, 0);
    EXPECT_TRUE(h > 0);
    foreign_child = (uint64_t)h;
    EXPECT_TRUE((uint64_t)h != e[0]);
    return cont_wait_proc(foreign_child, foreign_done, 0);
}

long t_wrong_type(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    char buf[8];
    struct msg m = {0};
    struct proc_status st;
    EXPECT(console_write((uint64_t)r, "x", 1), E_TYPE);
    EXPECT(console_write(e[0], "x", 1), E_TYPE);
    EXPECT(console_read((uint64_t)r, buf, sizeof buf), E_TYPE);
    EXPECT(sys_call(SYS_WAIT_INPUT, r, (long)noop, 0), E_TYPE);
    EXPECT(cont_wait_proc(console, noop, 0), E_TYPE);
    EXPECT(proc_status((uint64_t)r, &st), E_TYPE);
    EXPECT(chan_send(console, &m), E_TYPE);
    EXPECT(chan_send((uint64_t)r, &m), E_TYPE);
    EXPECT(chan_recv(console, &m), E_TYPE);
    EXPECT(cont_wait_msg((uint64_t)r, noop, 0), E_TYPE);
    EXPECT(region_phys(console), E_TYPE);
    EXPECT(region_phys(e[0]), E_TYPE);
    EXPECT(kill(console), E_TYPE);
    EXPECT(kill((uint64_t)r), E_TYPE);
    EXPECT(poweroff(console, 0), E_TYPE);
    EXPECT(poweroff((uint64_t)r, 1), E_TYPE);
    EXPECT(cap_derive(console, CAP_WRITE, 4096, 4096), E_TYPE);  // only a region has a range
    EXPECT(cap_derive(e[0], CAP_READ, 0, 4096), E_TYPE);
    return 0;
}

long t_wrong_rights(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long r_none = cap_derive((uint64_t)r, 0, 0, 0);
    long w_only = cap_derive(console, CAP_WRITE, 0, 0);
    long r_only = cap_derive(console, console_readable() ? CAP_READ : 0, 0, 0);
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    long e_read = cap_derive(e[0], CAP_READ, 0, 0);
    long e_write = cap_derive(e[1], CAP_WRITE, 0, 0);
    long p = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);
    long p_read = cap_derive((uint64_t)p, CAP_READ, 0, 0);
    long p_write = cap_derive((uint64_t)p, CAP_WRITE, 0, 0);
    char buf[8];
    struct msg m = {0};
    struct proc_status st;
    EXPECT(console_write((uint64_t)r_only, "x", 1), E_RIGHTS);
    EXPECT(console_read((uint64_t)w_only, buf, sizeof buf), E_RIGHTS);
    EXPECT(sys_call(SYS_WAIT_INPUT, w_only, (long)noop, 0), E_RIGHTS);
    EXPECT(chan_send((uint64_t)e_read, &m), E_RIGHTS);
    EXPECT(chan_recv((uint64_t)e_write, &m), E_RIGHTS);
    EXPECT(cont_wait_msg((uint64_t)e_write, noop, 0), E_RIGHTS);
    EXPECT(region_phys((uint64_t)r_none), E_RIGHTS);
    EXPECT(kill((uint64_t)p_read), E_RIGHTS);
    EXPECT(proc_status((uint64_t)p_write, &st), E_RIGHTS);
    EXPECT(cont_wait_proc((uint64_t)p_write, noop, 0), E_RIGHTS);
    EXPECT(cap_derive((uint64_t)r_only, CAP_READ | CAP_WRITE, 0, 0), E_RIGHTS);  // never more
    EXPECT(cap_derive((uint64_t)r, CAP_EXEC, 0, 0), E_RIGHTS);
    // Without CAP_GRANT nothing is handed on, by spawn or by message.
    struct spawn_cap give[1] = {{(uint64_t)r_only, 0}};
    EXPECT(spawn("hello", give, 1), E_RIGHTS);
    m.ncaps = 1;
    m.caps[0] = (uint64_t)r_none;
    EXPECT(chan_send(e[0], &m), E_RIGHTS);
    EXPECT(cap_type((uint64_t)r_none), (OBJ_REGION << 8) | 0);  // still held
    return 0;
}

// --- A full table. ---------------------------------------------------------------

#define TABLE_SLOTS 4096  // CAP_MAX_SLOTS (kernel/cap.h)
static uint64_t fill[TABLE_SLOTS];
static int nfill;

// Derive console copies until E_FULL; how many it took.
static long fill_table(void) {
    long h;
    while ((h = cap_derive(console, CAP_WRITE, 0, 0)) > 0)
        fill[nfill++] = (uint64_t)h;
    return h;
}

long t_table_full(void) {
    struct sys_mem m = mem_now();
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    struct msg msg = {.ncaps = 1}, got;
    msg.caps[0] = (uint64_t)region_new(4096, CAP_READ);
    EXPECT(chan_send(e[0], &msg), 0);  // a region queued for us
    EXPECT(fill_table(), E_FULL);
    EXPECT(nfill, TABLE_SLOTS - 4);  // the console, the role page and the two ends
    EXPECT(cap_derive(console, CAP_WRITE, 0, 0), E_FULL);
    EXPECT(region_new(4096, CAP_READ), E_FULL);
    EXPECT(channel_new(e), E_FULL);
    EXPECT(spawn_role(ROLE_EXIT, 0, 0, NULL, 0), E_FULL);  // no slot for its page
    EXPECT(chan_recv(e[1], &got), E_FULL);                 // the message stays
    cap_drop(fill[--nfill]);
    EXPECT(channel_new(e), E_FULL);    // two slots needed, one free: nothing made
    long h = spawn("hello", NULL, 0);  // the last slot: its process handle
    EXPECT_TRUE(h > 0);
    EXPECT(spawn("hello", NULL, 0), E_FULL);
    EXPECT(cap_drop((uint64_t)h), 0);
    EXPECT(chan_recv(e[1], &got), 0);  // room: it arrives
    EXPECT(cap_type(got.caps[0]) >> 8, OBJ_REGION);
    while (nfill > 0)
        EXPECT(cap_drop(fill[--nfill]), 0);
    cap_drop(got.caps[0]);
    cap_drop(e[0]);
    cap_drop(e[1]);
    struct sys_mem after = mem_now();
    EXPECT(after.caps, m.caps);
    EXPECT(after.channels, m.channels);
    return 0;
}

// A region mapped and unmapped in a table of 4,096 slots: the kernel's
// view update must not cost a pass over the table for every page (with
// interrupts off, 16,384 pages times 4,096 slots would stall everything).
long t_big_region_in_full_table(void) {
    EXPECT(fill_table(), E_FULL);
    cap_drop(fill[--nfill]);
    long r = region_new(64ul << 20, CAP_READ | CAP_WRITE);
    EXPECT_TRUE(r > 0 || r == E_NOMEM);
    if (r > 0) {
        ((volatile char *)region_at((uint64_t)r))[(64ul << 20) - 1] = 1;
        EXPECT(cap_drop((uint64_t)r), 0);
    }
    EXPECT(cap_revoke(console), 0);
    nfill = 0;
    return 0;
}

// Handles are checked first: a bad handle with every other argument bad
// too is E_BADHANDLE, whatever the call (docs/abi.md, lab 05).
long t_handle_checked_first(void) {
    const uint64_t bad = 0xffff800000000000ul;
    EXPECT(console_write(0, (void *)bad, 8), E_BADHANDLE);
    EXPECT(console_read(0, (void *)bad, 8), E_BADHANDLE);
    EXPECT(sys_call4(SYS_DERIVE, 0, 99, 1, 1), E_BADHANDLE);
    EXPECT(sys_call4(SYS_DERIVE, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    EXPECT(cap_inspect(0, (struct cap_info *)bad), E_BADHANDLE);
    EXPECT(proc_status(0, (struct proc_status *)bad), E_BADHANDLE);
    EXPECT(chan_send(0, (struct msg *)bad), E_BADHANDLE);
    EXPECT(chan_recv(0, (struct msg *)bad), E_BADHANDLE);
    EXPECT(sys_call4(SYS_POWEROFF, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    EXPECT(sys_call4(SYS_WAIT_PROC, 0, ~0l, ~0l, ~0l), E_BADHANDLE);
    return 0;
}

// One page reached through two capabilities: mapped with the union of
// their rights, and with the read-only one's alone once the other goes.
long f_union_of_rights(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    volatile uint8_t *p = (volatile uint8_t *)region_at((uint64_t)r);
    long ro = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    struct msg m = {.caps = {(uint64_t)r}, .ncaps = 1}, got;
    EXPECT(chan_send(e[0], &m), 0);  // r leaves: ro alone maps the page
    EXPECT(*p, 0);
    EXPECT(chan_recv(e[1], &got), 0);  // r is back: writable again
    *p = 1;
    EXPECT(cap_drop(got.caps[0]), 0);  // read-only again
    EXPECT(*p, 1);
    EXPECT(cap_type((uint64_t)ro) >> 8, OBJ_REGION);
    *p = 2;  // killed here
    return 1;
}

// A derivation chain as long as a table allows: revoking its root deletes
// it leaves first without recursion, and dropping links re-parents.
long t_deep_derivation_chain(void) {
    struct sys_mem m = mem_now();
    uint64_t root = (uint64_t)cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0), h = root;
    for (int i = 0; i < 4000; i++) {
        long next = cap_derive(h, CAP_WRITE | CAP_GRANT, 0, 0);
        EXPECT_TRUE(next > 0);
        if (i == 2000)
            fill[0] = (uint64_t)next;  // a link in the middle
        h = (uint64_t)next;
    }
    EXPECT(cap_drop(fill[0]), 0);  // its child joins its parent
    EXPECT(cap_revoke(root), 0);   // 3,999 go, deepest first
    EXPECT(cap_type(h), E_BADHANDLE);
    EXPECT(cap_drop(root), 0);
    EXPECT(mem_now().caps, m.caps);
    return 0;
}

// The same with a second capability over the region (each page then
// looks at both), and rights that differ between them.
long f_big_region_two_caps_full_table(void) {
    EXPECT(fill_table(), E_FULL);
    cap_drop(fill[--nfill]);
    cap_drop(fill[--nfill]);
    long r = region_new(64ul << 20, CAP_READ | CAP_WRITE);
    if (r == E_NOMEM)
        exit(check_failed(__LINE__, "(no 64 MiB free: cannot test)", 0, 0));
    long ro = cap_derive((uint64_t)r, CAP_READ, 32ul << 20, 32ul << 20);  // the upper half
    EXPECT_TRUE(ro > 0);
    volatile char *p = (volatile char *)region_at((uint64_t)r);
    p[0] = 1;
    p[(64ul << 20) - 1] = 1;
    EXPECT(cap_drop((uint64_t)r), 0);  // the upper half stays, read-only
    EXPECT(p[(64ul << 20) - 1], 1);
    EXPECT(cap_revoke(console), 0);
    p[(64ul << 20) - 1] = 2;  // killed here
    return 1;
}
