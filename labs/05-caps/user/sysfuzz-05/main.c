// sysfuzz-05: random system calls of lab 05's ABI, for a fixed list of
// seeds run one after another (lab 05's run= passes a program no
// arguments, and a seed must be replayable: the same seed makes the same
// calls and, under the grader's -icount, sees the same answers).
//
//   sysfuzz-05: seed 1: 6700 calls
//   sysfuzz-05: seed 1: PASS: 6700 calls, 0 anomalies, free slots 4095 -> 4095
//   ...
//   sysfuzz-05: PASS: 20100 calls
//
// Arguments come mostly from what the program holds (a pool of its
// handles, its regions' addresses and lengths, the process handles of the
// children it spawned), partly from edge values (0, ~0, a dropped handle,
// kernel and unmapped addresses, lengths of 0, 1 GiB + 1, 2^63). Rules
// that keep it alive whatever the kernel answers: results are written
// only into the scratch region or at addresses a correct kernel refuses;
// the console and the scratch region are never dropped or moved; memory
// is touched only right after inspect said the capability allows it.
// Every result must be >= 0 or an error abi.h lists, and a dropped handle
// must be E_BADHANDLE everywhere. After each seed it drops everything and
// counts the free table slots again. The kernel must never panic, and
// run: done's counts must be equal (grading/specs/05-caps.json).
//
// A child it spawns gets a region first and exits 0 at once.
#include <stdbool.h>
#include <stddef.h>
#include "printf.h"
#include "rng.h"
#include "syscall.h"

#define PAGE      4096ul
#define GIB       (1ul << 30)
#define POOL      128
#define SLOTS_MAX 4096
#define CALLS     6700  // a seed: three of them, about 20,000 calls a run

static const uint64_t seeds[] = {1, 2, 3};

static uint64_t pool[POOL];  // live handles of ours (or stale after a revoke)
static int npool;
static uint64_t dead;     // the last handle dropped: must name nothing
static uint64_t scratch;  // a read-write region for results
static uint8_t *scratch_base;
static unsigned long calls, anomalies;

static void anomaly(const char *what, long nr, long r, long a, long b) {
    anomalies++;
    if (anomalies <= 10)
        printf("sysfuzz-05: ANOMALY at call %lu: %s: call %ld (0x%lx, 0x%lx) returned %ld\n", calls,
               what, nr, a, b, r);
}

static long call(long nr, long a, long b, long c, long d) {
    calls++;
    long r = sys_call4(nr, a, b, c, d);
    if (r < E_BADPROG)
        anomaly("an error abi.h does not list", nr, r, a, b);
    return r;
}

static void keep(long h) {
    if (h > 0 && npool < POOL)
        pool[npool++] = (uint64_t)h;
    else if (h > 0)
        call(SYS_DROP, h, 0, 0, 0);  // no room: give it back at once
}

// --- Arguments. -------------------------------------------------------------------

static uint64_t a_handle(void) {
    uint64_t r = below(100);
    if (r < 70 && npool > 0)
        return pool[below((uint64_t)npool)];
    if (r < 80)
        return r & 1 ? scratch : console_handle;
    if (r < 85)
        return dead;
    if (r < 90)
        return 0;
    return rng() & (r & 1 ? 0xffffffful : ~0ul);  // guessed
}

static const uint64_t bad_addrs[] = {0,
                                     1,
                                     0x00007ffffffffff8ul,
                                     0x0000800000000000ul,
                                     0xffff800000000000ul,
                                     0xffffffff80100000ul,
                                     ~0ul,
                                     0x0000100000000000ul};

static uint64_t an_out_address(void) {
    if (chance(80))
        return (uint64_t)scratch_base + below(PAGE - 256);
    return bad_addrs[below(8)];
}

static uint64_t a_length(void) {
    uint64_t r = below(100);
    if (r < 80)
        return (below(8) + 1) * PAGE - (chance(30) ? below(PAGE) : 0);
    static const uint64_t edges[] = {0, 1, GIB + 1, ~0ul, 1ul << 63, 2 * GIB, ~0ul - PAGE + 1};
    return edges[below(7)];
}

static unsigned some_rights(void) {
    static const unsigned usual[] = {
        CAP_READ, CAP_READ | CAP_WRITE, CAP_READ | CAP_EXEC, CAP_READ | CAP_GRANT, CAP_ALL, 0};
    return chance(80) ? usual[below(6)] : (unsigned)below(64);
}

// An offset and a length inside h's range (when it is a region), or edges.
static void a_range(uint64_t h, uint64_t *off, uint64_t *len) {
    struct cap_info *info = (struct cap_info *)scratch_base;
    if (chance(75) && call(SYS_INSPECT, (long)h, (long)info, 0, 0) == 0 && info->length >= PAGE) {
        uint64_t pages = info->length / PAGE;
        uint64_t first = below(pages);
        *off = first * PAGE;
        *len = (below(pages - first) + 1) * PAGE;
        if (chance(10))
            *off = *len = 0;  // the whole range
        return;
    }
    static const uint64_t edges[] = {0, 1, PAGE, ~0ul & ~(PAGE - 1), 1ul << 63, GIB};
    *off = edges[below(6)];
    *len = edges[below(6)];
}

// --- One call. ----------------------------------------------------------------------

static void drop_one(void) {
    if (npool == 0)
        return;
    int i = (int)below((uint64_t)npool);
    uint64_t h = pool[i];
    pool[i] = pool[--npool];
    if (call(SYS_DROP, (long)h, 0, 0, 0) == 0)
        dead = h;
    long r = call(SYS_CAP_TYPE, (long)h, 0, 0, 0);
    if (r != E_BADHANDLE)
        anomaly("a dropped handle still names something", SYS_CAP_TYPE, r, (long)h, 0);
}

static void touch(void) {
    struct cap_info *info = (struct cap_info *)scratch_base;
    uint64_t h = a_handle();
    if (call(SYS_INSPECT, (long)h, (long)info, 0, 0) != 0 || info->type != OBJ_REGION ||
        info->length == 0)
        return;
    volatile uint8_t *p = (volatile uint8_t *)(info->base + below(info->length));
    // CAP_READ maps the page (abi.h); CAP_WRITE alone maps nothing.
    if ((info->rights & (CAP_READ | CAP_WRITE)) == (CAP_READ | CAP_WRITE))
        *p = (uint8_t)rng();
    else if (info->rights & CAP_READ)
        (void)*p;
}

static void spawn_some(void) {
    struct spawn_cap *list = (struct spawn_cap *)(scratch_base + 1024);
    long n = (long)below(4);
    for (long i = 0; i < n; i++) {
        list[i].handle = a_handle();
        list[i].flags = chance(70) ? 0 : chance(80) ? SPAWN_MOVE : rng();
        if (list[i].handle == console_handle || list[i].handle == scratch)
            list[i].flags = 0;  // never moved away: copies only
    }
    uint64_t r = below(100);
    if (r < 10 && npool > 0) {  // a real child: a region first, then the list
        long region = call(SYS_REGION_NEW, PAGE, CAP_READ, 0, 0);
        if (region < 0)
            return;
        list[n] = list[0];  // (when n is 0, overwritten at once)
        list[0].handle = (uint64_t)region;
        list[0].flags = SPAWN_MOVE;
        long proc = call(SYS_SPAWN, (long)"sysfuzz-05", 10, (long)list, n + 1);
        if (proc < 0)
            call(SYS_DROP, region, 0, 0, 0);
        keep(proc);
        return;
    }
    if (r < 60)
        call(SYS_SPAWN, (long)"nosuchprogram", 13, (long)list, n);
    else if (r < 80)
        call(SYS_SPAWN, (long)bad_addrs[below(8)], (long)below(70), (long)list, n);
    else
        call(SYS_SPAWN, (long)"sysfuzz-05", 10, (long)bad_addrs[below(8)],
             chance(50) ? 1 : (long)rng());
}

static void one_call(void) {
    uint64_t h = a_handle(), off, len;
    switch (below(13)) {
    case 0:
    case 1: keep(call(SYS_REGION_NEW, (long)a_length(), some_rights(), 0, 0)); break;
    case 2: drop_one(); break;
    case 3:
    case 4:
        a_range(h, &off, &len);
        keep(call(SYS_DERIVE, (long)h, some_rights(), (long)off, (long)len));
        break;
    case 5:
        if (h != console_handle && h != scratch && chance(30))
            call(SYS_REVOKE, (long)h, 0, 0, 0);
        else
            call(SYS_CAP_TYPE, (long)h, 0, 0, 0);
        break;
    case 6: call(SYS_INSPECT, (long)h, (long)an_out_address(), 0, 0); break;
    case 7: call(SYS_PROC_STATUS, (long)h, (long)an_out_address(), 0, 0); break;
    case 8:  // nothing reaches the console: no length, a bad buffer, or not a console
        if (call(SYS_CAP_TYPE, (long)h, 0, 0, 0) >> 8 == OBJ_CONSOLE)
            call(SYS_WRITE, (long)h, (long)bad_addrs[below(8)], chance(50) ? 0 : 8, 0);
        else
            call(SYS_WRITE, (long)h, (long)scratch_base, (long)below(64), 0);
        break;
    case 9: touch(); break;
    case 10:
        if (chance(20))
            spawn_some();
        else
            call(SYS_CAP_TYPE, (long)h, 0, 0, 0);
        break;
    case 11: {
        // Past SYS_COUNT, or huge with low bits no call has (even cut to 32 bits).
        long nr = (long)(chance(50) ? SYS_COUNT + below(4) : rng() | 1ul << 40 | 0x10);
        long r = call(nr, (long)h, 0, 0, 0);
        if (r != E_NOSYS)
            anomaly("an unknown call was not E_NOSYS", nr, r, (long)h, 0);
        break;
    }
    default: {
        long r = call(SYS_CAP_TYPE, (long)dead, 0, 0, 0);
        if (dead && r != E_BADHANDLE)
            anomaly("a dropped handle is not E_BADHANDLE", SYS_CAP_TYPE, r, (long)dead, 0);
        break;
    }
    }
}

// --- Seeds. ---------------------------------------------------------------------------

static long free_slots(void) {
    static uint64_t held[SLOTS_MAX];
    long n = 0;
    for (long h; n < SLOTS_MAX && (h = cap_derive(console_handle, CAP_READ, 0, 0)) > 0;)
        held[n++] = (uint64_t)h;
    for (long i = 0; i < n; i++)
        cap_drop(held[i]);
    return n;
}

static bool run_seed(uint64_t seed) {
    rng_seed(seed);
    npool = 0;
    dead = 0;
    unsigned long calls_before = calls, anomalies_before = anomalies;
    long slots_before = free_slots();
    struct cap_info info;
    long r = region_new(PAGE, CAP_READ | CAP_WRITE);
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0) {
        printf("sysfuzz-05: seed %lu: FAIL: no scratch region (%ld)\n", seed, r);
        return false;
    }
    scratch = (uint64_t)r;
    scratch_base = (uint8_t *)info.base;
    printf("sysfuzz-05: seed %lu: %d calls\n", seed, CALLS);
    while (calls - calls_before < CALLS)
        one_call();
    while (npool > 0)
        cap_drop(pool[--npool]);
    cap_drop(scratch);
    long slots_after = free_slots();
    bool pass = anomalies == anomalies_before && slots_after == slots_before;
    printf("sysfuzz-05: seed %lu: %s: %lu calls, %lu anomalies, free slots %ld -> %ld\n", seed,
           pass ? "PASS" : "FAIL", calls - calls_before, anomalies - anomalies_before, slots_before,
           slots_after);
    return pass;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps >= 1 && cap_type(caps[0]) >> 8 == OBJ_REGION)
        return 0;  // a child it spawned
    bool pass = true;
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        pass = run_seed(seeds[i]) && pass;
    printf("sysfuzz-05: %s: %lu calls\n", pass ? "PASS" : "FAIL", calls);
    return pass ? 0 : 1;
}
