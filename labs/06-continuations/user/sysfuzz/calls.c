// calls.c: one random system call at a time, for sysfuzz (main.c).
//
// Most arguments are things the program really holds, so that a call gets
// past its first check and into the kernel's deeper paths: its handles
// (the pool, fuzz.h), its regions' addresses and lengths, its children's
// process handles. The calls every lab from 06 has are here (final/ links
// this file); a lab's own (final/'s channels, sysinfo, kill) are in its
// more.c, which also says which calls look and which wait. The rest are edge values: 0,
// ~0, a handle dropped a moment ago, a guessed one, a kernel address, an
// address nothing is mapped at, a length of 1 GiB or 2^63.
//
// Two rules keep the program alive whatever the kernel answers:
//   - the kernel writes results only into the scratch region, into a
//     region of the pool, or at an address where a correct kernel must
//     refuse (never into the program's own stack, data or code);
//   - the capabilities of `fz.fixed` are never dropped, moved or handed
//     on for good, and exit and cont_return are never called at random;
//     continuations are queued only with `noop`, a function of its own.
// Every result is checked against what abi.h allows (check_result).
#include "fuzz.h"
#include "printf.h"
#include "string.h"

struct fuzz fz;

#define TABLE_MAX 4096  // slots in a capability table at most (docs/abi.md, E_FULL)

// --- Calls and their results. ---------------------------------------------------

void anomaly(const char *what, long nr, long r, long a, long b, long c, long d) {
    fz.anomalies++;
    if (fz.anomalies <= 10)
        printf("sysfuzz: ANOMALY at call %lu: %s: call %ld (0x%lx, 0x%lx, 0x%lx, 0x%lx) "
               "returned %ld\n",
               fz.calls, what, nr, a, b, c, d, r);
}

long fuzz_call(long nr, long a, long b, long c, long d) {
    fz.calls++;
    long r = sys_call4(nr, a, b, c, d);
    if (r < fuzz_lowest_error)  // the lowest error abi.h lists
        anomaly("an error abi.h does not list", nr, r, a, b, c, d);
    else
        fz.results[nr >= 0 && nr < SYS_COUNT ? nr : SYS_COUNT][r < 0 ? -r : 0]++;
    return r;
}

// A call whose first argument is a handle that names nothing of ours
// (0, or one dropped or moved away): it must fail with E_BADHANDLE.
long call_expecting_badhandle(long nr, long a, long b, long c, long d) {
    long r = fuzz_call(nr, a, b, c, d);
    if (r != E_BADHANDLE)
        anomaly("a dead handle was not E_BADHANDLE", nr, r, a, b, c, d);
    return r;
}

// --- Handles. ---------------------------------------------------------------------

static bool is_fixed(uint64_t h) {
    const struct fixed *f = &fz.fixed;
    if (h == f->console || h == f->scratch || h == f->scratch_ro || h == f->marker)
        return true;
    for (int i = 0; i < f->nchildren; i++)
        if (h == f->children[i])
            return true;
    return false;
}

bool is_stale(uint64_t h) {
    for (int i = 0; i < fz.nstale; i++)
        if (fz.stale[i] == h)
            return true;
    return false;
}

void remember_stale(uint64_t h) {
    if (fz.nstale < (int)(sizeof fz.stale / sizeof fz.stale[0]))
        fz.stale[fz.nstale++] = h;
    else
        fz.stale[below(fz.nstale)] = h;
}

void pool_add(uint64_t handle, uint64_t type) {
    if (fz.npool == POOL_MAX) {  // full: give it back at once
        if (fuzz_call(SYS_DROP, (long)handle, 0, 0, 0) == 0)
            remember_stale(handle);
        return;
    }
    // A handle of a slot reused meanwhile replaces the old, stale entry.
    for (int i = 0; i < fz.npool; i++)
        if (fz.pool[i].handle >> 16 == handle >> 16) {
            fz.pool[i] = fz.pool[--fz.npool];
            break;
        }
    for (int i = 0; i < fz.nstale; i++)
        if (fz.stale[i] == handle)
            fz.stale[i] = fz.stale[--fz.nstale];
    struct held *e = &fz.pool[fz.npool++];
    *e = (struct held){.handle = handle, .type = type};
    if (type == OBJ_REGION || type == 0) {  // learn the address, for pointers into it
        struct cap_info *info = (struct cap_info *)fz.scratch_base;
        if (fuzz_call(SYS_INSPECT, (long)handle, (long)info, 0, 0) == 0) {
            e->type = info->type;
            if (info->type == OBJ_REGION) {
                e->base = info->base;
                e->length = info->length;
            }
        }
    }
}

static void pool_forget(int i) {
    remember_stale(fz.pool[i].handle);
    fz.pool[i] = fz.pool[--fz.npool];
}

void pool_forget_handle(uint64_t h) {
    for (int i = 0; i < fz.npool; i++)
        if (fz.pool[i].handle == h) {
            pool_forget(i);
            return;
        }
}

// A call whose only handle is h said E_BADHANDLE: h went (a revoke, or a
// child's), so the pool forgets it, and from now on it must stay dead.
long pruning(uint64_t h, long r) {
    if (r == E_BADHANDLE)
        pool_forget_handle(h);
    return r;
}

static struct held *pool_pick(void) { return fz.npool ? &fz.pool[below(fz.npool)] : NULL; }

static uint64_t fixed_pick(void) {
    const struct fixed *f = &fz.fixed;
    switch (below(4)) {
    case 0: return f->console;
    case 1: return f->scratch;
    case 2: return f->scratch_ro;
    default: return f->nchildren ? f->children[below(f->nchildren)] : f->marker;
    }
}

// Handles that surely name nothing of ours.
uint64_t dead_handle(void) {
    switch (below(5)) {
    case 0: return 0;
    case 1: return fz.nstale ? fz.stale[below(fz.nstale)] : 0;
    case 2: return ~0ul;
    case 3: return (1ul << 40) | (fz.npool ? fz.pool[0].handle : 1);  // a live one, high bits set
    default: return (uint64_t)(TABLE_MAX + below(1000)) << 16 | below(0x10000);
    }
}

// A handle for a call that only looks (or derives, or revokes below it).
uint64_t any_handle(void) {
    uint64_t r = below(100);
    if (r < 65 && fz.npool)
        return pool_pick()->handle;
    if (r < 80)
        return fixed_pick();
    if (r < 90)
        return rng() & 0xffffffff;  // a guess: may name anything of ours
    return dead_handle();
}

// A pool handle of a type, most of the time; else any handle.
uint64_t handle_of(uint64_t type) {
    if (chance(85)) {
        int start = (int)below(fz.npool ? fz.npool : 1);
        for (int k = 0; k < fz.npool; k++) {
            struct held *e = &fz.pool[(start + k) % fz.npool];
            if (e->type == type)
                return e->handle;
        }
    }
    return any_handle();
}

// A handle that may be used up (dropped, moved): never a fixed one.
uint64_t spendable(uint64_t h) { return is_fixed(h) ? 0 : h; }

// --- Addresses and lengths. --------------------------------------------------------

// An address in the top half of the user range: regions are handed out
// from the bottom up, so nothing is ever mapped there.
static uint64_t unmapped_address(void) { return (1ul << 46) + (rng() & ((1ul << 46) - 1)); }

uint64_t edge_address(void) {
    static const uint64_t edges[] = {
        0,
        8,
        0xfff,
        0x0000800000000000ul,  // the first non-canonical address
        0x00007ffffffffff8ul,  // the last user word: anything longer runs into the hole
        0xffff800000000000ul,  // the direct map
        0xffffffff80100000ul,  // the kernel's image
        0xfffffffffffffff8ul,  // wraps around
        0x8000000000000000ul,
    };
    return chance(30) ? unmapped_address() : edges[below(sizeof edges / sizeof edges[0])];
}

// Where the kernel may write `size` bytes: inside the scratch region's
// writable part; running into its read-only page or its hole (a correct
// kernel refuses those); inside a region of the pool; or an edge address.
uint64_t out_ptr(uint64_t size) {
    uint64_t s = fz.scratch_base, r = below(100);
    if (r < 60 && size <= SCRATCH_RW)
        return s + (below(SCRATCH_RW - size + 1) & ~7ul);
    if (r < 70)
        return s + SCRATCH_RW - (size > 1 ? below(size) : 0);  // into the read-only page
    if (r < 75)
        return s + SCRATCH_SIZE - 4096 - 8;  // read-only, then not mapped
    if (r < 85) {
        struct held *e = pool_pick();
        if (e && e->type == OBJ_REGION && e->length >= size)
            return e->base + (below(e->length - size + 1) & ~7ul);
    }
    return edge_address();
}

// Where the kernel may read from: anywhere out_ptr may write, and the
// program's own memory (reading it harms nothing).
static uint64_t in_ptr(uint64_t size) {
    static const char text[] = "sysfuzz";
    uint64_t r = below(100);
    if (r < 10)
        return (uint64_t)text;
    if (r < 15)
        return (uint64_t)&fz;
    if (r < 18)
        return (uint64_t)&r;  // the stack
    if (r < 20)
        return (uint64_t)in_ptr;  // the code
    return out_ptr(size);
}

uint64_t length(void) {
    static const uint64_t edges[] = {
        0, 1, 4095, 4096, 4097, 1ul << 30, (1ul << 30) + 1, 1ul << 47, 1ul << 63, ~0ul,
    };
    uint64_t r = below(100);
    if (r < 50)
        return 1 + below(4 * 4096);
    if (r < 75)
        return 4096 * (1 + below(16));
    return edges[below(sizeof edges / sizeof edges[0])];
}

static uint64_t rights(void) {
    if (chance(90))
        return below(16);
    static const uint64_t edges[] = {16, 0xff, ~0ul, (1ul << 32) | CAP_READ};
    return edges[below(4)];
}

// An offset or length for derive: page multiples inside a region mostly.
static uint64_t range_value(uint64_t limit) {
    uint64_t r = below(100);
    if (r < 40)
        return 0;
    if (r < 80)
        return 4096 * below(limit / 4096 + 1);
    if (r < 90)
        return below(limit + 4096);
    return length();
}

// --- The calls. --------------------------------------------------------------------

long noop(long arg, long value) {
    fz.pending--;
    return 0;
}

void call_region_new(void) {
    uint64_t len = length();
    if (len > (64ul << 20) && len <= (1ul << 30) && !chance(2))
        len = 4096;  // a real huge region empties memory: rarely
    long h = fuzz_call(SYS_REGION_NEW, (long)len, (long)rights(), 0, 0);
    if (h > 0)
        pool_add((uint64_t)h, OBJ_REGION);
}

static void call_drop(void) {
    uint64_t h = chance(85) ? spendable(any_handle()) : dead_handle();
    if (is_stale(h) || h == 0) {
        call_expecting_badhandle(SYS_DROP, (long)h, 0, 0, 0);
        return;
    }
    if (fuzz_call(SYS_DROP, (long)h, 0, 0, 0) == 0)
        pool_forget_handle(h);
}

void call_derive(void) {
    struct held *e = pool_pick();
    uint64_t h = e && chance(80) ? e->handle : any_handle();
    uint64_t limit = e && e->handle == h ? e->length : 16 * 4096;
    long r = fuzz_call(SYS_DERIVE, (long)h, (long)rights(), (long)range_value(limit),
                       (long)range_value(limit));
    pruning(h, r);
    if (r > 0)
        pool_add((uint64_t)r, 0);
}

void call_look(void) {
    uint64_t h = chance(90) ? any_handle() : dead_handle();
    bool dead = h == 0 || is_stale(h);
    long nr = look_calls[below((uint64_t)nlook_calls)];
    uint64_t out = nr == SYS_INSPECT       ? out_ptr(sizeof(struct cap_info))
                   : nr == SYS_PROC_STATUS ? out_ptr(sizeof(struct proc_status))
                                           : 0;
    if (dead)
        call_expecting_badhandle(nr, (long)h, (long)out, 0, 0);
    else
        pruning(h, fuzz_call(nr, (long)h, (long)out, 0, 0));
}

// The console: write nothing that would reach the serial port (a test
// reads it), so a buffer the kernel must accept comes with length 0.
static void call_console(void) {
    uint64_t h = chance(50) ? handle_of(OBJ_CONSOLE) : fz.fixed.console;
    uint64_t len = length();
    if (chance(50)) {
        uint64_t buf = chance(50) ? edge_address() : in_ptr(len);
        bool safe = buf >= (1ul << 46) || buf < 4096;  // nothing mapped there
        long r = fuzz_call(SYS_WRITE, (long)h, (long)(safe ? buf : fz.scratch_base),
                           (long)(safe ? len : 0), 0);
        if (safe && len > 0 && r > 0)
            anomaly("write from an unmapped buffer wrote", SYS_WRITE, r, (long)h, (long)buf,
                    (long)len, 0);
    } else {
        fuzz_call(SYS_READ, (long)h, (long)out_ptr(len), (long)len, 0);
    }
}

void call_wait(void) {
    long nr, a;
    uint64_t r = below(5);  // 2..4: a wait for an object
    if (r == 0) {
        nr = SYS_CONT_QUEUE, a = (long)noop;
        long res = fuzz_call(nr, a, (long)rng(), 0, 0);
        fz.pending += res == 0;
        return;
    }
    if (r == 1) {
        static const uint64_t ticks[] = {0, 1, 2, 5, 1ul << 32, (1ul << 32) + 1, ~0ul};
        long res = fuzz_call(SYS_WAIT_TIME, (long)ticks[below(7)], (long)noop, (long)rng(), 0);
        fz.pending += res == 0;
        return;
    }
    const struct wait_call *w = &wait_calls[below((uint64_t)nwait_calls)];
    nr = w->nr;
    uint64_t type = w->type;
    uint64_t h = chance(90) ? handle_of(type) : dead_handle();
    long res = h == 0 || is_stale(h)
                   ? call_expecting_badhandle(nr, (long)h, (long)noop, (long)rng(), 0)
                   : pruning(h, fuzz_call(nr, (long)h, (long)noop, (long)rng(), 0));
    fz.pending += res == 0;
}

// Spawn: itself as a child with some of the pool (copied or moved), or a
// call that must fail (no such program, a bad name or list).
static void call_spawn(void) {
    struct fixed *f = &fz.fixed;
    struct spawn_cap *give = (struct spawn_cap *)(fz.scratch_base + 12288);
    char *name = (char *)(fz.scratch_base + 16384);
    uint64_t n = 2 + below(4);
    give[0] = (struct spawn_cap){f->console, 0};
    give[1] = (struct spawn_cap){f->marker, 0};
    for (uint64_t i = 2; i < n; i++) {
        uint64_t h = chance(90) ? spendable(any_handle()) : dead_handle();
        give[i] = (struct spawn_cap){h, chance(50) ? SPAWN_MOVE : chance(95) ? 0 : rng()};
    }
    bool real = !fz.child && f->nchildren < 4 && chance(25);
    strlcpy(name, real ? "sysfuzz" : chance(50) ? "nope" : "sysfuzz", 64);
    uint64_t name_len = strlen(name);
    uint64_t list = (uint64_t)give;
    if (!real) {  // make sure it fails before anything starts
        switch (below(6)) {
        case 0: name_len = 0; break;
        case 1: name_len = 64 + below(1000); break;
        case 2: name[3] = '\0'; break;
        case 3: list = edge_address(); break;
        case 4: n = SPAWN_MAX_CAPS + 1 + below(100); break;
        default: strlcpy(name, "nope", 64), name_len = 4; break;
        }
    } else {
        // The marker tells the child its seed.
        struct cap_info info;
        if (fuzz_call(SYS_INSPECT, (long)f->marker, (long)fz.scratch_base, 0, 0) != 0)
            return;
        info = *(struct cap_info *)fz.scratch_base;
        snprintf((char *)info.base, 64, "child %lu", rng() & 0xffffffff);
    }
    long h = fuzz_call(SYS_SPAWN, (long)name, (long)name_len, (long)list, (long)n);
    if (h <= 0)
        return;
    if (!real)
        anomaly("a spawn that had to fail started a program", SYS_SPAWN, h, (long)name,
                (long)name_len, (long)list, (long)n);
    for (uint64_t i = 2; i < n; i++)
        if (give[i].flags == SPAWN_MOVE)
            pool_forget_handle(give[i].handle);
    if (f->nchildren < 4) {
        f->children[f->nchildren++] = (uint64_t)h;  // its own, to kill it at the end
        long copy = fuzz_call(SYS_DERIVE, h, CAP_ALL, 0, 0);
        if (copy > 0)
            pool_add((uint64_t)copy, OBJ_PROCESS);
    } else {
        pool_add((uint64_t)h, OBJ_PROCESS);
    }
}

// Children that have ended make room for more.
static void reap_children(void) {
    struct fixed *f = &fz.fixed;
    for (int i = 0; i < f->nchildren;) {
        struct proc_status *st = (struct proc_status *)fz.scratch_base;
        if (fuzz_call(SYS_PROC_STATUS, (long)f->children[i], (long)st, 0, 0) == 0 &&
            st->state != 0) {
            uint64_t h = f->children[i];
            f->children[i] = f->children[--f->nchildren];
            fuzz_call(SYS_DROP, (long)h, 0, 0, 0);
            remember_stale(h);
        } else {
            i++;
        }
    }
}

// A lab's own calls may take this turn (more.c); else unknown numbers,
// ticks, and a look at which children have ended.
static void call_other(void) {
    if (chance(50) && fuzz_other_more())
        return;
    switch (below(3)) {
    case 0: {
        static const long numbers[] = {SYS_COUNT, SYS_COUNT + 1, 1000,
                                       -1,        1l << 32,      (long)(~0ul >> 1)};
        long r = fuzz_call(numbers[below(6)], (long)rng(), (long)rng(), (long)rng(), (long)rng());
        if (r != E_NOSYS)
            anomaly("an unknown call was not E_NOSYS", -1, r, 0, 0, 0, 0);
        break;
    }
    case 1: fuzz_call(SYS_TICKS, 0, 0, 0, 0); break;
    default: reap_children(); break;
    }
}

void fuzz_one(void) {
    uint64_t r = below(100);
    if (r < 10)
        call_region_new();
    else if (r < 17)
        call_drop();
    else if (r < 30)
        call_derive();
    else if (r < 45)
        call_look();
    else if (r < 50)
        call_console();
    else if (r < 57)
        call_wait();
    else if (r < 86)
        fuzz_more(r);  // final/: the channel calls (more.c)
    else if (r < 87)
        call_spawn();
    else
        call_other();
}

// The scratch region: 64 KiB, writable up to SCRATCH_RW, then a read-only
// page, then a page nothing maps (the original capability, which covered
// all of it, is dropped: each part keeps its own).
int fuzz_setup_scratch(void) {
    long whole = fuzz_call(SYS_REGION_NEW, SCRATCH_SIZE, CAP_READ | CAP_WRITE, 0, 0);
    if (whole < 0)
        return (int)whole;
    long rw = fuzz_call(SYS_DERIVE, whole, CAP_READ | CAP_WRITE | CAP_GRANT, 0, SCRATCH_RW);
    long ro = fuzz_call(SYS_DERIVE, whole, CAP_READ | CAP_GRANT, SCRATCH_RW, 4096);
    struct cap_info info;
    long err = cap_inspect((uint64_t)whole, &info);
    fz.calls++;
    fuzz_call(SYS_DROP, whole, 0, 0, 0);
    if (rw < 0 || ro < 0 || err)
        return (int)(rw < 0 ? rw : ro < 0 ? ro : err);
    fz.fixed.scratch = (uint64_t)rw;
    fz.fixed.scratch_ro = (uint64_t)ro;
    fz.scratch_base = info.base;
    return 0;
}

// Everything of the pool goes (the fixed capabilities are main.c's).
void pool_drop_all(void) {
    while (fz.npool > 0) {
        fuzz_call(SYS_DROP, (long)fz.pool[fz.npool - 1].handle, 0, 0, 0);
        fz.npool--;
    }
}
