// captest: capabilities from a program's side (lab 05).
//
// Forged, stale and foreign handles; wrong types; derive's refusals; a
// full table; revoke; W^X; then spawn: a child with no console, one that
// holds exactly what it was given, children killed for writing through
// a read-only capability, for running code without CAP_EXEC and for
// touching memory it no longer holds, a grant refused without CAP_GRANT,
// a failed spawn that leaves everything as it was, nesting bounded. Each
// check prints a line; the exit code is 0 when all passed.
#include "captest.h"
#include "check.h"
#include "printf.h"
#include "rng.h"
#include "string.h"
#include "syscall.h"

static uint64_t console;

// Whether `word` occurs in s (the library has no strstr).
static bool contains(const char *s, const char *word) {
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncmp(s, word, n) == 0)
            return true;
    return false;
}

static void forged_handles(void) {
    CHECK(cap_type(0) == E_BADHANDLE, "handle 0 is never valid");
    int bad = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t h = rng();
        if (h != console && cap_type(h) != E_BADHANDLE)
            bad++;
    }
    CHECK(bad == 0, "10,000 random 64-bit handles are E_BADHANDLE");
    bad = 0;
    for (uint64_t slot = 0; slot < 4096; slot++)
        for (uint64_t gen = 2; gen < 5; gen++)
            if (cap_type(slot << 16 | gen) != E_BADHANDLE)
                bad++;
    CHECK(bad == 0, "every slot with a wrong generation is E_BADHANDLE");
    CHECK(cap_type(console | 1ul << 32) == E_BADHANDLE, "high bits set: E_BADHANDLE");
    CHECK(cap_type(console) == (OBJ_CONSOLE << 8 | CAP_READ | CAP_WRITE | CAP_GRANT),
          "the console handle in slot 0: a console, READ|WRITE|GRANT");
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

static uint64_t args_region;
static struct child_args *args;

// Spawn capchild in `mode` with caps[0] = a read-only copy of the args.
static long run_child(enum child_mode mode, const struct spawn_cap *extra, int n,
                      struct proc_status *st) {
    struct spawn_cap caps[8];
    args->mode = mode;
    long ro = cap_derive(args_region, CAP_READ | CAP_GRANT, 0, 0);
    caps[0] = (struct spawn_cap){(uint64_t)ro, 0};
    for (int i = 0; i < n; i++)
        caps[1 + i] = extra[i];
    long child = spawn("capchild", caps, (unsigned long)n + 1);
    cap_drop((uint64_t)ro);
    if (child < 0)
        return child;
    long err = proc_status((uint64_t)child, st);
    cap_drop((uint64_t)child);
    return err;
}

static void children(void) {
    struct proc_status st;
    args->parent_console = console;
    CHECK(run_child(MODE_NO_CONSOLE, NULL, 0, &st) == 0 && st.state == PROC_EXITED && st.code == 0,
          "a child given no console cannot write");

    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long ro = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    struct spawn_cap give = {(uint64_t)ro, 0};
    CHECK(run_child(MODE_WRITE, &give, 1, &st) == 0 && st.state == PROC_KILLED &&
              contains(st.reason, "page fault") && contains(st.reason, "write, protection"),
          "a child writing through a read-only capability is killed (page fault, write)");
    printf("captest: the child's reason: %s\n", st.reason);
    give.handle = (uint64_t)r;
    CHECK(run_child(MODE_JUMP, &give, 1, &st) == 0 && st.state == PROC_KILLED &&
              contains(st.reason, "fetch"),
          "a child running code in a region without CAP_EXEC is killed (fetch)");
    cap_drop((uint64_t)ro);

    long nogrant = cap_derive((uint64_t)r, CAP_READ | CAP_WRITE, 0, 0);
    give.handle = (uint64_t)nogrant;
    CHECK(run_child(MODE_WRITE, &give, 1, &st) == E_RIGHTS,
          "handing on without CAP_GRANT: E_RIGHTS");
    CHECK(cap_type((uint64_t)nogrant) > 0, "... and the capability is still there");

    struct spawn_cap bad[2] = {{(uint64_t)r, SPAWN_MOVE}, {0x12345, 0}};
    CHECK(run_child(MODE_HOLDS_EXACTLY, bad, 2, &st) == E_BADHANDLE,
          "a spawn with a bad handle: E_BADHANDLE");
    CHECK(cap_type((uint64_t)r) > 0 && cap_type((uint64_t)nogrant) > 0,
          "... and the capability it would have moved is still there");
    bad[1] = (struct spawn_cap){(uint64_t)r, 0};
    CHECK(run_child(MODE_HOLDS_EXACTLY, bad, 2, &st) == E_INVAL,
          "moving and copying one capability: E_INVAL");
    CHECK(spawn("nosuchprogram", NULL, 0) == E_NOENT, "spawn of an unknown program: E_NOENT");

    struct spawn_cap exact[3] = {{console, 0}, {(uint64_t)r, SPAWN_MOVE}};
    args->expect_n = 3;
    args->expect_type[0] = OBJ_REGION, args->expect_rights[0] = CAP_READ | CAP_GRANT;
    args->expect_type[1] = OBJ_CONSOLE, args->expect_rights[1] = CAP_READ | CAP_WRITE | CAP_GRANT;
    args->expect_type[2] = OBJ_REGION, args->expect_rights[2] = CAP_READ | CAP_WRITE | CAP_GRANT;
    CHECK(run_child(MODE_HOLDS_EXACTLY, exact, 2, &st) == 0 && st.state == PROC_EXITED &&
              st.code == 0,
          "a spawned child holds exactly the capabilities given, in slots 0..n-1");
    CHECK(cap_type((uint64_t)r) == E_BADHANDLE, "a moved capability is gone from the parent");
    CHECK(cap_type((uint64_t)nogrant) == (OBJ_REGION << 8 | CAP_READ | CAP_WRITE),
          "its child, re-parented when the moved one died with the child, is still there");
    cap_drop((uint64_t)nogrant);

    long two = region_new(2 * 4096, CAP_READ | CAP_WRITE);
    give.handle = (uint64_t)two;
    CHECK(run_child(MODE_DERIVE_DROP_TOUCH, &give, 1, &st) == 0 && st.state == PROC_KILLED &&
              contains(st.reason, "not present"),
          "a child that touches memory after dropping its capability is killed (not present)");
    printf("captest: the child's reason: %s\n", st.reason);
    cap_drop((uint64_t)two);

    CHECK(run_child(MODE_NEST, NULL, 0, &st) == 0 && st.state == PROC_EXITED && st.code == 8,
          "spawn inside spawn: 7 more levels, then E_LIMIT");
}

static void out_of_memory(void) {
    long handles[200];
    int n = 0;
    long h = 0;
    while (n < 200 && (h = region_new(1 << 20, CAP_READ | CAP_WRITE)) > 0)
        handles[n++] = h;
    CHECK(h == E_NOMEM, "region_new of 1 MiB until memory runs out: E_NOMEM");
    for (int i = 0; i < n; i++)
        cap_drop((uint64_t)handles[i]);
    CHECK(region_new(1 << 20, CAP_READ) > 0, "and memory is back after the drops");
}

int main(int ncaps, const uint64_t *caps) {
    CHECK(ncaps == 1, "run= gives a program one capability");
    console = caps[0];
    printf("captest: capabilities from user mode\n");
    forged_handles();
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
    children();
    out_of_memory();
    return checks_done();
}
