// captest: capabilities from a program's side (lab 05).
//
// Forged, stale and foreign handles; wrong types; derive's refusals; a
// full table; revoke; W^X; then spawn: a child with no console, one that
// holds exactly what it was given, children killed for writing through
// a read-only capability, for running code without CAP_EXEC and for
// touching memory it no longer holds, a grant refused without CAP_GRANT,
// a failed spawn that leaves everything as it was, nesting bounded. Each
// check prints a line; the exit code is 0 when all passed.
//
// Lab 06: the same checks as a chain of continuations. Spawn returns at
// once, so each child's end is waited for (cont_wait_proc) and checked in
// the continuation that runs then; long loops are cut into slices, each
// well inside the time budget.
#include "captest.h"
#include "check.h"
#include "printf.h"
#include "rng.h"
#include "string.h"
#include "syscall.h"

static uint64_t console;
static uint64_t args_region;
static struct child_args *args;

// Whether `word` occurs in s (the library has no strstr).
static bool contains(const char *s, const char *word) {
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncmp(s, word, n) == 0)
            return true;
    return false;
}

// In slices, each its own continuation: a continuation has a time budget
// (lab 06), and 22,000 system calls in one would come close to it on a
// slow machine.
static int forged_bad;
static long forged_generations(long round, long value);
static long checks_part_two(long a, long value);

static long forged_random(long round, long value) {
    for (int i = 0; i < 2000; i++) {
        uint64_t h = rng();
        if (h != console && cap_type(h) != E_BADHANDLE)
            forged_bad++;
    }
    if (round < 4)
        return cont_queue(forged_random, round + 1);
    CHECK(forged_bad == 0, "10,000 random 64-bit handles are E_BADHANDLE");
    forged_bad = 0;
    return cont_queue(forged_generations, 0);
}

static long forged_generations(long round, long value) {
    for (uint64_t slot = (uint64_t)round * 1024; slot < (uint64_t)round * 1024 + 1024; slot++)
        for (uint64_t gen = 2; gen < 5; gen++)
            if (cap_type(slot << 16 | gen) != E_BADHANDLE)
                forged_bad++;
    if (round < 3)
        return cont_queue(forged_generations, round + 1);
    CHECK(forged_bad == 0, "every slot with a wrong generation is E_BADHANDLE");
    CHECK(cap_type(console | 1ul << 32) == E_BADHANDLE, "high bits set: E_BADHANDLE");
    CHECK(cap_type(console) == (OBJ_CONSOLE << 8 | CAP_READ | CAP_WRITE | CAP_GRANT),
          "the console handle in slot 0: a console, READ|WRITE|GRANT");
    return cont_queue(checks_part_two, 0);
}

static void wrong_types(uint64_t region) {
    struct proc_status st;
    CHECK(console_write(region, "x", 1) == E_TYPE, "write to a region handle: E_TYPE");
    CHECK(cap_derive(console, CAP_WRITE, 4096, 4096) == E_TYPE, "a range of the console: E_TYPE");
    CHECK(proc_status(region, &st) == E_TYPE, "proc_status of a region: E_TYPE");
    CHECK(proc_status(console, &st) == E_TYPE, "proc_status of the console: E_TYPE");
    long ro_console = cap_derive(console, CAP_READ, 0, 0);
    CHECK(ro_console > 0, "derive a console capability without WRITE");
    CHECK(console_write((uint64_t)ro_console, "x", 1) == E_RIGHTS,
          "write without CAP_WRITE: E_RIGHTS");
    cap_drop((uint64_t)ro_console);
}

static void derive_refusals(uint64_t region) {  // region: 4 pages, READ|WRITE|GRANT
    CHECK(cap_derive(region, CAP_EXEC, 0, 4096) == E_RIGHTS, "derive with more rights: E_RIGHTS");
    CHECK(cap_derive(region, 16, 0, 4096) == E_INVAL, "derive with an unknown right: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 100, 4096) == E_INVAL, "an unaligned offset: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 0, 100) == E_INVAL, "an unaligned length: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 4096, 0) == E_INVAL, "a zero length: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 4 * 4096, 4096) == E_INVAL, "a range past the end: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 3 * 4096, 2 * 4096) == E_INVAL,
          "a range running over the end: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, 4096, -4096ul) == E_INVAL,
          "offset + length overflowing: E_INVAL");
    CHECK(cap_derive(region, CAP_READ, -4096ul, 8192) == E_INVAL, "a huge offset: E_INVAL");
    long d = cap_derive(region, CAP_READ, 4096, 4096);
    struct cap_info a, b;
    CHECK(d > 0 && cap_inspect((uint64_t)d, &b) == 0 && cap_inspect(region, &a) == 0 &&
              b.base == a.base + 4096 && b.length == 4096 && b.rights == CAP_READ,
          "a derived sub-range: its base, length and rights");
    long dd = cap_derive((uint64_t)d, CAP_READ | CAP_WRITE, 0, 0);
    CHECK(dd == E_RIGHTS, "a read-only capability cannot give WRITE");
    cap_drop((uint64_t)d);
}

static void stale_handles(uint64_t region) {
    long d = cap_derive(region, CAP_READ, 0, 0);
    CHECK(d > 0 && cap_drop((uint64_t)d) == 0, "derive then drop");
    CHECK(cap_type((uint64_t)d) == E_BADHANDLE, "after drop the handle is stale");
    CHECK(cap_drop((uint64_t)d) == E_BADHANDLE, "a second drop: E_BADHANDLE");
    long reuse = cap_derive(region, CAP_READ, 0, 0);
    CHECK(reuse > 0 && reuse >> 16 == d >> 16 && reuse != d,
          "the slot is reused with a new generation");
    CHECK(cap_type((uint64_t)d) == E_BADHANDLE, "the old handle still fails after the reuse");
    long grandchild = cap_derive((uint64_t)reuse, CAP_READ, 0, 4096);
    CHECK(cap_revoke(region) == 0, "revoke the region");
    CHECK(cap_type((uint64_t)reuse) == E_BADHANDLE && cap_type((uint64_t)grandchild) == E_BADHANDLE,
          "after revoke a child and a grandchild are stale");
    CHECK(cap_type(region) >> 8 == OBJ_REGION, "the revoked capability itself still works");
    CHECK(cap_revoke(0) == E_BADHANDLE && cap_inspect(0, 0) == E_BADHANDLE,
          "revoke and inspect of 0");
}

static void table_full(void) {
    long first = 0, h = 0;
    int made = 0;
    long extra = cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0);  // to move below
    while ((h = cap_derive(console, CAP_WRITE, 0, 0)) > 0) {
        if (!first)
            first = h;
        made++;
    }
    CHECK(h == E_FULL, "deriving until the table is full: E_FULL");
    CHECK(made > 4000 && made < 4096, "the table holds 4096 capabilities");
    CHECK(region_new(4096, CAP_READ) == E_FULL, "region_new into a full table: E_FULL");
    CHECK(spawn("capchild", NULL, 0) == E_FULL,
          "spawn with no room for the process capability: E_FULL");
    struct spawn_cap move = {(uint64_t)extra, SPAWN_MOVE};
    CHECK(extra > 0 && spawn("capchild", &move, 1) == E_FULL && cap_type((uint64_t)extra) > 0,
          "a spawn that fails on a full table keeps the capability it would have moved");
    CHECK(cap_drop((uint64_t)first) == 0 && cap_derive(console, CAP_WRITE, 0, 0) > 0,
          "dropping one makes room for one");
    CHECK(cap_revoke(console) == 0, "revoke them all at once");
    CHECK(cap_derive(console, CAP_WRITE, 0, 0) > 0 && cap_revoke(console) == 0, "room again");
}

static long children(long a, long v);

static long checks_part_two(long a, long value) {
    long region = region_new(4 * 4096, CAP_READ | CAP_WRITE);
    CHECK(region > 0, "region_new of 4 pages");
    CHECK(region_new(4096, CAP_WRITE | CAP_EXEC) == E_INVAL,
          "region_new with WRITE|EXEC (W^X): E_INVAL");
    CHECK(region_new(0, CAP_READ) == E_INVAL, "region_new of 0 bytes: E_INVAL");
    wrong_types((uint64_t)region);
    derive_refusals((uint64_t)region);
    stale_handles((uint64_t)region);
    table_full();
    args_region = (uint64_t)region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    cap_inspect(args_region, &info);
    args = (struct child_args *)info.base;
    return cont_queue(children, 0);
}

// Spawn capchild in `mode` with caps[0] = a read-only copy of the args:
// the process handle, or spawn's error.
static long spawn_child(enum child_mode mode, const struct spawn_cap *extra, int n) {
    struct spawn_cap caps[8];
    args->mode = mode;
    long ro = cap_derive(args_region, CAP_READ | CAP_GRANT, 0, 0);
    caps[0] = (struct spawn_cap){(uint64_t)ro, 0};
    for (int i = 0; i < n; i++)
        caps[1 + i] = extra[i];
    long child = spawn("capchild", caps, (unsigned long)n + 1);
    cap_drop((uint64_t)ro);
    return child;
}

// Lab 06: spawn returns at once, so each check of a child's end is a
// continuation that runs when the child has ended: `then(0, state)`, with
// the child's status in `st` (and spawn_error 0), or at once with
// spawn_error set when the spawn failed.
static struct proc_status st;
static long spawn_error, child_handle;

static long collect(long then, long state) {
    proc_status((uint64_t)child_handle, &st);
    cap_drop((uint64_t)child_handle);
    CHECK(state == st.state, "the state wait_proc delivered is the child's");
    return ((cont_fn)then)(0, state);
}

static long wait_child(long child, cont_fn then) {
    spawn_error = child < 0 ? child : 0;
    st = (struct proc_status){0};
    if (child < 0)
        return cont_queue(then, 0);
    child_handle = child;
    return cont_wait_proc((uint64_t)child, collect, (long)then);
}

static bool exited_0(void) { return spawn_error == 0 && st.state == PROC_EXITED && st.code == 0; }
static bool killed_for(const char *a, const char *b) {
    return spawn_error == 0 && st.state == PROC_KILLED && contains(st.reason, a) &&
           contains(st.reason, b);
}

static long r, ro, nogrant, two;
static long child_nest(long a, long v);
static long out_of_memory(long a, long v);

static long after_nest(long a, long v) {
    CHECK(spawn_error == 0 && st.state == PROC_EXITED && st.code == 8,
          "spawn inside spawn: 7 more levels, then E_LIMIT");
    return cont_queue(out_of_memory, 0);
}

static long child_nest(long a, long v) {
    return wait_child(spawn_child(MODE_NEST, NULL, 0), after_nest);
}

static long after_touch(long a, long v) {
    CHECK(killed_for("not present", ""),
          "a child that touches memory after dropping its capability is killed (not present)");
    printf("captest: the child's reason: %s\n", st.reason);
    cap_drop((uint64_t)two);
    return cont_queue(child_nest, 0);
}

static long after_exact(long a, long v) {
    CHECK(exited_0(), "a spawned child holds exactly the capabilities given, in slots 0..n-1");
    CHECK(cap_type((uint64_t)r) == E_BADHANDLE, "a moved capability is gone from the parent");
    CHECK(cap_type((uint64_t)nogrant) == (OBJ_REGION << 8 | CAP_READ | CAP_WRITE),
          "its child, re-parented when the moved one died with the child, is still there");
    cap_drop((uint64_t)nogrant);
    two = region_new(2 * 4096, CAP_READ | CAP_WRITE);
    struct spawn_cap give = {(uint64_t)two, 0};
    return wait_child(spawn_child(MODE_DERIVE_DROP_TOUCH, &give, 1), after_touch);
}

static long after_jump(long a, long v) {
    CHECK(killed_for("fetch", ""),
          "a child running code in a region without CAP_EXEC is killed (fetch)");
    cap_drop((uint64_t)ro);

    nogrant = cap_derive((uint64_t)r, CAP_READ | CAP_WRITE, 0, 0);
    struct spawn_cap give = {(uint64_t)nogrant, 0};
    CHECK(spawn_child(MODE_WRITE, &give, 1) == E_RIGHTS, "handing on without CAP_GRANT: E_RIGHTS");
    CHECK(cap_type((uint64_t)nogrant) > 0, "... and the capability is still there");

    struct spawn_cap bad[2] = {{(uint64_t)r, SPAWN_MOVE}, {0x12345, 0}};
    CHECK(spawn_child(MODE_HOLDS_EXACTLY, bad, 2) == E_BADHANDLE,
          "a spawn with a bad handle: E_BADHANDLE");
    CHECK(cap_type((uint64_t)r) > 0 && cap_type((uint64_t)nogrant) > 0,
          "... and the capability it would have moved is still there");
    bad[1] = (struct spawn_cap){(uint64_t)r, 0};
    CHECK(spawn_child(MODE_HOLDS_EXACTLY, bad, 2) == E_INVAL,
          "moving and copying one capability: E_INVAL");
    CHECK(spawn("nosuchprogram", NULL, 0) == E_NOENT, "spawn of an unknown program: E_NOENT");

    struct spawn_cap exact[3] = {{console, 0}, {(uint64_t)r, SPAWN_MOVE}};
    args->expect_n = 3;
    args->expect_type[0] = OBJ_REGION, args->expect_rights[0] = CAP_READ | CAP_GRANT;
    args->expect_type[1] = OBJ_CONSOLE, args->expect_rights[1] = CAP_READ | CAP_WRITE | CAP_GRANT;
    args->expect_type[2] = OBJ_REGION, args->expect_rights[2] = CAP_READ | CAP_WRITE | CAP_GRANT;
    return wait_child(spawn_child(MODE_HOLDS_EXACTLY, exact, 2), after_exact);
}

static long after_write(long a, long v) {
    CHECK(killed_for("page fault", "write, protection"),
          "a child writing through a read-only capability is killed (page fault, write)");
    printf("captest: the child's reason: %s\n", st.reason);
    struct spawn_cap give = {(uint64_t)r, 0};
    return wait_child(spawn_child(MODE_JUMP, &give, 1), after_jump);
}

static long after_no_console(long a, long v) {
    CHECK(exited_0(), "a child given no console cannot write");
    r = region_new(4096, CAP_READ | CAP_WRITE);
    ro = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    struct spawn_cap give = {(uint64_t)ro, 0};
    return wait_child(spawn_child(MODE_WRITE, &give, 1), after_write);
}

static long children(long a, long v) {
    args->parent_console = console;
    return wait_child(spawn_child(MODE_NO_CONSOLE, NULL, 0), after_no_console);
}

// Regions of 1 MiB until memory runs out, one a continuation (each zeroes
// 256 frames), then dropped one a continuation too.
static long oom_handles[200];
static int oom_n;

static long oom_drop(long from, long v) {
    for (int i = (int)from; i < oom_n && i < from + 1; i++)
        cap_drop((uint64_t)oom_handles[i]);
    if (from + 1 < oom_n)
        return cont_queue(oom_drop, from + 1);
    CHECK(region_new(1 << 20, CAP_READ) > 0, "and memory is back after the drops");
    return checks_done();
}

static long out_of_memory(long a, long v) {
    long h = oom_n < 200 ? region_new(1 << 20, CAP_READ | CAP_WRITE) : 0;
    if (h > 0) {
        oom_handles[oom_n++] = h;
        return cont_queue(out_of_memory, 0);
    }
    CHECK(h == E_NOMEM, "region_new of 1 MiB until memory runs out: E_NOMEM");
    return cont_queue(oom_drop, 0);
}

int main(int ncaps, const uint64_t *caps) {
    CHECK(ncaps == 1, "run= gives a program one capability");
    console = caps[0];
    printf("captest: capabilities from user mode\n");
    return cont_queue(forged_random, 0);  // each step queues the next: one order
}
