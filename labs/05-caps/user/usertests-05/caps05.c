// caps05.c: lab 05's robustness cases that must return an error: every
// pointer argument, every kind of bad handle, a full table, derive's
// ranges, revoke down the tree, out of memory in region_new, spawn's lists
// and nesting. The cases that must kill a program are in main.c.
#include <stdbool.h>
#include <stddef.h>
#include "rng.h"
#include "usertests05.h"

#define PAGE          4096ul
#define GIB           (1ul << 30)
#define RW            (CAP_READ | CAP_WRITE)
#define CAP_MAX_SLOTS 4096  // kernel/cap.h: the table's most (docs/abi.md)

static long spawn_raw(const void *name, long len, const void *caps, long n) {
    return sys_call4(SYS_SPAWN, (long)name, len, (long)caps, n);
}

static uint64_t region_base(uint64_t h) {
    struct cap_info info;
    return cap_inspect(h, &info) == 0 ? info.base : 0;
}

long free_slots(void) {
    static uint64_t held[CAP_MAX_SLOTS];
    long n = 0;
    for (long h; n < CAP_MAX_SLOTS && (h = cap_derive(console_handle, CAP_READ, 0, 0)) > 0;)
        held[n++] = (uint64_t)h;
    for (long i = 0; i < n; i++)
        cap_drop(held[i]);
    return n;
}

// Every call that takes a handle, with h: the first result that is not want.
static const char *every_call(uint64_t h, long want, const char *what) {
    struct cap_info info;
    struct proc_status st;
    struct spawn_cap list = {h, 0};
    const long got[] = {console_write(h, "x", 1),
                        cap_drop(h),
                        cap_derive(h, CAP_READ, 0, 0),
                        cap_revoke(h),
                        cap_inspect(h, &info),
                        proc_status(h, &st),
                        cap_type(h),
                        spawn_raw("usertests-05", 12, &list, 1)};
    static const char *const names[] = {"write",   "drop",        "derive",   "revoke",
                                        "inspect", "proc_status", "cap_type", "spawn"};
    for (int i = 0; i < 8; i++)
        if (got[i] != want)
            return ut_why("%s: %s(%#lx) = %ld", what, names[i], h, got[i]);
    return NULL;
}

// --- Bad pointers. --------------------------------------------------------------

// The bad ranges, plus memory the program can read but not write.
static const char *bad_out(long (*call)(uint64_t, void *), uint64_t h, const char *name) {
    for (int i = 0; i < ut_nbad; i++) {
        long r = call(h, (void *)ut_bad_ranges[i].addr);
        if (r != E_FAULT)
            return ut_why("%s(%#lx) = %ld", name, ut_bad_ranges[i].addr, r);
    }
    long ro = region_new(PAGE, CAP_READ);
    long r1 = call(h, (void *)region_base((uint64_t)ro));
    long r2 = call(h, (void *)(uint64_t)(void *)bad_out);  // the program's own code
    cap_drop((uint64_t)ro);
    if (r1 != E_FAULT || r2 != E_FAULT)
        return ut_why("%s into read-only memory = %ld, into code = %ld", name, r1, r2);
    return NULL;
}

static long inspect_void(uint64_t h, void *out) { return cap_inspect(h, out); }
static long status_void(uint64_t h, void *out) { return proc_status(h, out); }

static const char *inspect_bad_out(void) {
    return bad_out(inspect_void, console_handle, "inspect");
}

static const char *proc_status_bad_out(void) {
    long proc = spawn_child(CHILD_EXIT, 0, 0, 0, 0);
    if (proc < 0)
        return ut_why("spawn = %ld", proc);
    const char *why = bad_out(status_void, (uint64_t)proc, "proc_status");
    struct proc_status st;
    if (!why && (proc_status((uint64_t)proc, &st) != 0 || st.state != PROC_EXITED))
        why = "proc_status with a good buffer failed after the bad ones";
    cap_drop((uint64_t)proc);
    return why;
}

static const char *spawn_bad_names(void) {
    for (int i = 0; i < ut_nbad; i++) {
        long r = spawn_raw((void *)ut_bad_ranges[i].addr, 8, NULL, 0);
        if (r != E_FAULT)
            return ut_why("spawn(name %#lx) = %ld", ut_bad_ranges[i].addr, r);
    }
    static const char name[80] = "hello";
    const long lens[] = {0, 64, 79, -1, 1l << 40};
    for (int i = 0; i < 5; i++) {
        long r = spawn_raw(name, lens[i], NULL, 0);
        if (r != E_INVAL && !(lens[i] > 64 && r == E_FAULT))
            return ut_why("spawn(name length %ld) = %ld", lens[i], r);
    }
    long r = spawn_raw("hel\0lo", 6, NULL, 0);
    if (r != E_INVAL)
        return ut_why("spawn of a name with a NUL = %ld", r);
    r = spawn_raw("nosuchprogram", 13, NULL, 0);
    return r == E_NOENT ? NULL : ut_why("spawn of no such program = %ld", r);
}

static const char *spawn_bad_lists(void) {
    for (int i = 0; i < ut_nbad; i++) {
        long r = spawn_raw("hello", 5, (void *)ut_bad_ranges[i].addr, 1);
        if (r != E_FAULT)
            return ut_why("spawn(caps %#lx, 1) = %ld", ut_bad_ranges[i].addr, r);
    }
    struct spawn_cap list[2] = {{console_handle, 0}, {console_handle, 0}};
    const long counts[] = {SPAWN_MAX_CAPS + 1, 1000, -1, 1l << 40};
    for (int i = 0; i < 4; i++) {
        long r = spawn_raw("hello", 5, list, counts[i]);
        if (r != E_INVAL && r != E_FAULT)
            return ut_why("spawn(%ld capabilities) = %ld", counts[i], r);
    }
    return NULL;
}

// --- Handles. --------------------------------------------------------------------

static const char *handle_zero(void) { return every_call(0, E_BADHANDLE, "handle 0"); }

static const char *forged_handles(void) {
    const uint64_t values[] = {~0ul,        1ul << 63,     (uint64_t)CAP_MAX_SLOTS << 16 | 1,
                               0xffff0001u, 1ul << 40 | 1, 0xffffffffffff0001ul,
                               0xffff};
    for (int i = 0; i < 7; i++) {
        const char *why = every_call(values[i], E_BADHANDLE, "forged");
        if (why)
            return why;
    }
    for (int i = 0; i < 5000; i++) {
        uint64_t h = rng();
        if ((h >> 16) < 64)
            continue;  // a slot the program may hold
        if (cap_type(h) != E_BADHANDLE)
            return ut_why("random handle %#lx is live", h);
    }
    return NULL;
}

static const char *wrong_generations(void) {
    uint64_t own_slot = console_handle >> 16;
    for (uint64_t slot = 0; slot < CAP_MAX_SLOTS + 16; slot++)
        for (uint64_t gen = 0; gen < 4; gen++) {
            uint64_t h = slot << 16 | ((console_handle + 1 + gen) & 0xffff);
            if (slot != own_slot)
                h = slot << 16 | (gen + 1);
            if (h == console_handle)
                continue;
            if (cap_type(h) != E_BADHANDLE)
                return ut_why("slot %lu generation %lu is live", slot, h & 0xffff);
        }
    return NULL;
}

static const char *stale_after_drop(void) {
    long r = region_new(PAGE, RW);
    if (r < 0 || cap_drop((uint64_t)r) != 0)
        return "region_new or drop failed";
    const char *why = every_call((uint64_t)r, E_BADHANDLE, "dropped");
    if (why)
        return why;
    long again = region_new(PAGE, RW);  // likely the same slot, a new generation
    bool stale = cap_type((uint64_t)r) == E_BADHANDLE;
    cap_drop((uint64_t)again);
    if (again == r || !stale)
        return "a new capability in the slot answers to the old handle";
    return NULL;
}

static const char *stale_after_revoke(void) {
    long r = region_new(4 * PAGE, RW);
    long a = cap_derive((uint64_t)r, RW, 0, 0), b = cap_derive((uint64_t)a, CAP_READ, PAGE, PAGE);
    if (r < 0 || a < 0 || b < 0)
        return "derive failed";
    if (cap_revoke((uint64_t)r) != 0)
        return "revoke failed";
    const char *why = every_call((uint64_t)a, E_BADHANDLE, "revoked child");
    if (!why)
        why = every_call((uint64_t)b, E_BADHANDLE, "revoked grandchild");
    if (!why && cap_type((uint64_t)r) != (OBJ_REGION << 8 | RW | CAP_GRANT))
        why = "the revoked capability itself is gone";
    cap_drop((uint64_t)r);
    return why;
}

static const char *stale_after_move(void) {
    long r = region_new(PAGE, RW);
    struct spawn_cap move = {(uint64_t)r, SPAWN_MOVE};
    long proc = spawn_child(CHILD_EXIT, 0, 0, &move, 1);
    if (proc < 0)
        return ut_why("spawn = %ld", proc);
    cap_drop((uint64_t)proc);
    return every_call((uint64_t)r, E_BADHANDLE, "moved");
}

static const char *foreign_handles(void) {
    uint64_t words[1 + 32] = {0};
    long mine[31];
    for (int i = 0; i < 31; i++)
        mine[i] = cap_derive(console_handle, CAP_READ, 0, 0);
    words[0] = 32;
    words[1] = console_handle;
    for (int i = 0; i < 31; i++)
        words[2 + i] = (uint64_t)mine[i];
    long proc = spawn_child(CHILD_FOREIGN, words, 33, 0, 0);
    struct proc_status st;
    long r = proc < 0 ? proc : proc_status((uint64_t)proc, &st);
    if (proc > 0)
        cap_drop((uint64_t)proc);
    for (int i = 0; i < 31; i++)
        cap_drop((uint64_t)mine[i]);
    if (r != 0)
        return ut_why("spawn or proc_status = %ld", r);
    if (st.state != PROC_EXITED || st.code != 0)
        return ut_why("the child: state %ld code %ld (the handle that named something)", st.state,
                      st.code);
    return NULL;
}

static const char *wrong_type(void) {
    long r = region_new(PAGE, RW);
    long proc = spawn_child(CHILD_EXIT, 0, 0, 0, 0);
    struct proc_status st;
    const long got[] = {console_write((uint64_t)r, "x", 1),
                        console_write((uint64_t)proc, "x", 1),
                        proc_status((uint64_t)r, &st),
                        proc_status(console_handle, &st),
                        cap_derive(console_handle, CAP_READ, 0, PAGE),
                        cap_derive((uint64_t)proc, CAP_READ, PAGE, PAGE)};
    cap_drop((uint64_t)r);
    cap_drop((uint64_t)proc);
    for (int i = 0; i < 6; i++)
        if (got[i] != E_TYPE)
            return ut_why("call %d = %ld, not E_TYPE", i, got[i]);
    return NULL;
}

static const char *wrong_rights(void) {
    long cw = cap_derive(console_handle, CAP_READ | CAP_GRANT, 0, 0);
    long r = region_new(2 * PAGE, RW);
    long ro = cap_derive((uint64_t)r, CAP_READ, 0, 0);
    long proc = spawn_child(CHILD_EXIT, 0, 0, 0, 0);
    long pg = cap_derive((uint64_t)proc, CAP_GRANT, 0, 0);
    struct proc_status st;
    struct spawn_cap give = {(uint64_t)ro, 0};
    const long got[] = {console_write((uint64_t)cw, "x", 1),
                        cap_derive((uint64_t)ro, RW, 0, 0),
                        cap_derive((uint64_t)r, CAP_EXEC, 0, 0),
                        cap_derive((uint64_t)ro, CAP_READ | CAP_GRANT, 0, 0),
                        spawn_raw("hello", 5, &give, 1),
                        proc_status((uint64_t)pg, &st)};
    bool kept = cap_type((uint64_t)ro) == (OBJ_REGION << 8 | CAP_READ);
    cap_drop((uint64_t)cw);
    cap_drop((uint64_t)ro);
    cap_drop((uint64_t)r);
    cap_drop((uint64_t)pg);
    cap_drop((uint64_t)proc);
    for (int i = 0; i < 6; i++)
        if (got[i] != E_RIGHTS)
            return ut_why("call %d = %ld, not E_RIGHTS", i, got[i]);
    return kept ? NULL : "the capability spawn refused is gone";
}

static const char *bad_handle_first(void) {
    uint64_t h = 4000ul << 16 | 7;
    const long got[] = {cap_derive(h, 0xffff, ~0ul, ~0ul), cap_inspect(h, NULL),
                        proc_status(h, NULL), console_write(h, NULL, ~0ul)};
    for (int i = 0; i < 4; i++)
        if (got[i] != E_BADHANDLE)
            return ut_why("call %d = %ld, not E_BADHANDLE", i, got[i]);
    return NULL;
}

static const char *full_table(void) {
    static uint64_t held[CAP_MAX_SLOTS];
    long n = 0, h;
    while (n < CAP_MAX_SLOTS && (h = cap_derive(console_handle, CAP_READ, 0, 0)) > 0)
        held[n++] = (uint64_t)h;
    long last = cap_derive(console_handle, CAP_READ, 0, 0);
    long r = region_new(PAGE, RW);
    long proc = spawn_child(CHILD_EXIT, 0, 0, 0, 0);  // its region: no slot either
    const char *why = NULL;
    if (last != E_FULL || r != E_FULL || proc != E_FULL)
        why = ut_why("after %ld: derive %ld, region_new %ld, spawn %ld", n, last, r, proc);
    cap_drop(held[--n]);  // one slot free: the process handle fits, not its region too
    if (!why && (r = region_new(PAGE, RW)) < 0)
        why = ut_why("region_new after a drop = %ld", r);
    if (r > 0)
        cap_drop((uint64_t)r);
    while (n > 0)
        cap_drop(held[--n]);
    return why;
}

// --- derive and revoke. ---------------------------------------------------------

static const char *derive_bad_ranges(void) {
    long r = region_new(4 * PAGE, RW);
    const struct {
        uint64_t off, len;
        long want;
    } bad[] = {
        {PAGE, 0, E_INVAL},
        {0, 5 * PAGE, E_INVAL},
        {4 * PAGE, PAGE, E_INVAL},
        {3 * PAGE, 2 * PAGE, E_INVAL},
        {~0ul & ~(PAGE - 1), 2 * PAGE, E_INVAL},
        {PAGE, ~0ul & ~(PAGE - 1), E_INVAL},
        {1, PAGE, E_INVAL},
        {0, PAGE + 1, E_INVAL},
        {1ul << 63, 1ul << 63, E_INVAL},
        {PAGE, -PAGE, E_INVAL},
    };
    const char *why = NULL;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0] && !why; i++) {
        long d = cap_derive((uint64_t)r, CAP_READ, bad[i].off, bad[i].len);
        if (d != bad[i].want)
            why = ut_why("derive(offset %#lx, length %#lx) = %ld", bad[i].off, bad[i].len, d);
    }
    long d = cap_derive((uint64_t)r, 16, 0, 0);
    if (!why && d != E_INVAL)
        why = ut_why("derive with unknown rights = %ld", d);
    d = cap_derive((uint64_t)r, CAP_READ, PAGE, 2 * PAGE);
    struct cap_info info;
    uint64_t base = region_base((uint64_t)r);
    if (!why && (d < 0 || cap_inspect((uint64_t)d, &info) != 0 || info.base != base + PAGE ||
                 info.length != 2 * PAGE || info.rights != CAP_READ))
        why = "a derived sub-range has the wrong base, length or rights";
    cap_drop((uint64_t)r);  // d, its child, is re-parented and stays
    if (!why && cap_type((uint64_t)d) != (OBJ_REGION << 8 | CAP_READ))
        why = "the child went with its parent's drop";
    cap_drop((uint64_t)d);
    return why;
}

static const char *revoke_grandchildren(void) {
    long r = region_new(PAGE, RW);
    long a = cap_derive((uint64_t)r, RW, 0, 0), b = cap_derive((uint64_t)a, RW, 0, 0);
    long c = cap_derive((uint64_t)b, CAP_READ, 0, 0), s = cap_derive((uint64_t)r, CAP_READ, 0, 0);
    if (cap_drop((uint64_t)b) != 0)  // c is re-parented to a
        return "drop failed";
    if (cap_revoke((uint64_t)a) != 0 || cap_type((uint64_t)c) != E_BADHANDLE)
        return "revoke of a missed the grandchild moved up by a drop";
    if (cap_type((uint64_t)a) <= 0 || cap_type((uint64_t)s) <= 0)
        return "revoke of a took a itself or its sibling";
    cap_revoke((uint64_t)r);
    if (cap_type((uint64_t)a) != E_BADHANDLE || cap_type((uint64_t)s) != E_BADHANDLE)
        return "revoke of the root left a child";
    return cap_drop((uint64_t)r) == 0 ? NULL : "the root went too";
}

static const char *long_chain(void) {
    long root = region_new(PAGE, RW), h = root;
    for (int i = 0; i < 200 && h > 0; i++)
        h = cap_derive((uint64_t)h, CAP_READ | CAP_WRITE, 0, 0);
    if (h < 0)
        return ut_why("derive in a chain = %ld", h);
    cap_revoke((uint64_t)root);
    bool gone = cap_type((uint64_t)h) == E_BADHANDLE;
    cap_drop((uint64_t)root);
    return gone ? NULL : "the chain's end outlived the revoke";
}

// --- Memory. -----------------------------------------------------------------------

static const char *region_new_bad(void) {
    const unsigned long lens[] = {0, GIB + 1, 2 * GIB, ~0ul, 1ul << 63};
    for (int i = 0; i < 5; i++) {
        long r = region_new(lens[i], RW);
        if (r != E_INVAL)
            return ut_why("region_new(%#lx) = %ld", lens[i], r);
    }
    const unsigned rights[] = {CAP_WRITE | CAP_EXEC, CAP_READ | CAP_WRITE | CAP_EXEC, 16, 0x100,
                               ~0u};
    for (int i = 0; i < 5; i++) {
        long r = region_new(PAGE, rights[i]);
        if (r != E_INVAL)
            return ut_why("region_new(rights %#x) = %ld", rights[i], r);
    }
    return NULL;
}

// With every page taken (by lab 04's map, a region each): region_new of
// 1 GiB and of a page fail, derive needs no memory or fails cleanly.
static long oom_big, oom_small, oom_derive;
static void try_regions(void) {
    oom_big = region_new(GIB, RW);
    oom_small = region_new(PAGE, RW);
    long r = region_new(PAGE, RW);  // ... taken again at once
    oom_derive = cap_derive(console_handle, CAP_READ, 0, 0);
    const long made[] = {oom_big, oom_small, r, oom_derive};
    for (int i = 0; i < 4; i++)
        if (made[i] > 0)
            cap_drop((uint64_t)made[i]);
}

const char *region_new_out_of_memory(void) {
    uint64_t got = ut_free_memory_holding(try_regions);
    if (oom_big != E_NOMEM || oom_small != E_NOMEM)
        return ut_why("with no memory left: region_new of 1 GiB = %ld, of a page = %ld", oom_big,
                      oom_small);
    if (oom_derive < 0 && oom_derive != E_NOMEM)
        return ut_why("derive with no memory left = %ld", oom_derive);
    if (!ut_memory_same(ut_memory_before, got))
        return ut_why("%lu bytes free, before the first case %lu", got, ut_memory_before);
    return NULL;
}

// --- spawn. -----------------------------------------------------------------------

static const char *spawn_bad_lists_move_nothing(void) {
    long r = region_new(PAGE, RW), ro = cap_derive((uint64_t)r, CAP_READ, 0, 0);
    const struct spawn_cap lists[][2] = {
        {{(uint64_t)r, SPAWN_MOVE}, {0, 0}},
        {{(uint64_t)r, SPAWN_MOVE}, {4000ul << 16 | 3, 0}},
        {{(uint64_t)r, SPAWN_MOVE}, {(uint64_t)r, SPAWN_MOVE}},
        {{(uint64_t)r, SPAWN_MOVE}, {console_handle, 2}},
        {{(uint64_t)r, SPAWN_MOVE}, {console_handle, ~0ul}},
        {{(uint64_t)r, SPAWN_MOVE}, {(uint64_t)ro, 0}},
    };
    const long want[] = {E_BADHANDLE, E_BADHANDLE, E_INVAL, E_INVAL, E_INVAL, E_RIGHTS};
    const char *why = NULL;
    for (int i = 0; i < 6 && !why; i++) {
        long got = spawn_raw("hello", 5, lists[i], 2);
        if (got != want[i] || cap_type((uint64_t)r) <= 0)
            why = ut_why("list %d: spawn = %ld (want %ld), the moved one %s", i, got, want[i],
                         cap_type((uint64_t)r) > 0 ? "kept" : "lost");
    }
    cap_drop((uint64_t)ro);
    cap_drop((uint64_t)r);
    return why;
}

static const char *spawn_64_caps(void) {
    struct spawn_cap extra[SPAWN_MAX_CAPS];
    for (int i = 0; i < SPAWN_MAX_CAPS; i++)
        extra[i] = (struct spawn_cap){console_handle, 0};
    long too_many = spawn_child(CHILD_EXIT, 0, 0, extra, SPAWN_MAX_CAPS - 1);  // 65
    long proc = spawn_child(CHILD_EXIT, 0, 0, extra, SPAWN_MAX_CAPS - 2);      // 64
    struct proc_status st;
    long r = proc < 0 ? proc : proc_status((uint64_t)proc, &st);
    if (proc > 0)
        cap_drop((uint64_t)proc);
    if (too_many != E_INVAL)
        return ut_why("spawn with 65 capabilities = %ld", too_many);
    if (r != 0 || st.state != PROC_EXITED || st.code != CHILD_CODE)
        return ut_why("spawn with 64: %ld, state %ld, code %#lx", r, st.state, st.code);
    return NULL;
}

static const char *spawn_nesting(void) {
    long proc = spawn_child(CHILD_NEST, 0, 0, 0, 0);
    struct proc_status st;
    long r = proc < 0 ? proc : proc_status((uint64_t)proc, &st);
    if (proc > 0)
        cap_drop((uint64_t)proc);
    if (r != 0 || st.state != PROC_EXITED)
        return ut_why("spawn or proc_status = %ld", r);
    // usertests runs at depth 0 under run=; PROC_MAX_DEPTH levels of
    // children below it, the deepest told E_LIMIT.
    return st.code == 7 ? NULL : ut_why("nested %ld deep below the first child", st.code);
}

static const char *exit_code_64_bits(void) {
    long proc = spawn_child(CHILD_EXIT, 0, 0, 0, 0);
    struct proc_status st;
    long r = proc < 0 ? proc : proc_status((uint64_t)proc, &st);
    if (proc > 0)
        cap_drop((uint64_t)proc);
    if (r != 0 || st.state != PROC_EXITED || st.code != CHILD_CODE || st.reason[0] != '\0')
        return ut_why("state %ld, code %#lx, reason '%s'", st.state, st.code, st.reason);
    return NULL;
}

const struct ut_case caps05_cases[] = {
    {"bad pointers", "inspect: every bad result address is E_FAULT, read-only memory too",
     inspect_bad_out},
    {"bad pointers", "proc_status: every bad result address is E_FAULT", proc_status_bad_out},
    {"bad pointers", "spawn: bad names (addresses, lengths, a NUL)", spawn_bad_names},
    {"bad pointers", "spawn: a bad capability list (addresses, counts)", spawn_bad_lists},
    {"handles", "handle 0 in every call is E_BADHANDLE", handle_zero},
    {"handles", "forged handles in every call are E_BADHANDLE", forged_handles},
    {"handles", "every slot with a wrong generation is E_BADHANDLE", wrong_generations},
    {"handles", "a handle dropped (its slot reused) is stale everywhere", stale_after_drop},
    {"handles", "handles revoked are stale everywhere", stale_after_revoke},
    {"handles", "a handle moved by spawn is stale", stale_after_move},
    {"handles", "another program's handle values name nothing there", foreign_handles},
    {"handles", "a capability of the wrong type: E_TYPE in every call", wrong_type},
    {"handles", "a capability without the right: E_RIGHTS in every call", wrong_rights},
    {"handles", "a bad handle is E_BADHANDLE whatever the other arguments", bad_handle_first},
    {"handles", "a full table: E_FULL in every call that adds to it", full_table},
    {"derive and revoke", "derive: bad and wrapping ranges are E_INVAL", derive_bad_ranges},
    {"derive and revoke", "revoke reaches grandchildren, also moved up by a drop",
     revoke_grandchildren},
    {"derive and revoke", "a derivation chain 200 deep, revoked from the root", long_chain},
    {"out of memory", "region_new: bad lengths and rights are E_INVAL", region_new_bad},
    {"spawn", "spawn: bad capability lists move nothing", spawn_bad_lists_move_nothing},
    {"spawn", "spawn: 64 capabilities, and no more", spawn_64_caps},
    {"spawn", "spawn: nested until E_LIMIT", spawn_nesting},
    {"spawn", "proc_status: a child's 64-bit exit code", exit_code_64_bits},
};
const int caps05_count = (int)(sizeof caps05_cases / sizeof caps05_cases[0]);
