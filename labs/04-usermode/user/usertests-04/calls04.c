// calls04.c: lab 04's robustness cases: every call lab 04 has (write, map,
// unmap, ticks, unknown numbers), each argument at its edges, through the
// user library (so the same cases run on lab 05's library, which rebuilds
// map and unmap on capabilities). Each must return an error; none may kill
// the program. The cases that must kill it are programs of their own (see
// main.c).
#include <stdbool.h>
#include <stddef.h>
#include "syscall.h"
#include "ut.h"

#define PAGE       4096ul
#define LOWER_END  0x0000800000000000ul  // the first address past the lower half
#define KERNEL_IMG 0xffffffff80100000ul  // where the kernel is linked
#define KERNEL_LOW 0xffff800000000000ul  // the start of the kernel half (direct map)
#define FAR_AWAY   0x0000100000000000ul  // user half, nothing mapped there
#define GIB        (1ul << 30)

// Addresses the program does not own, with a length for each (ut.h).
const struct ut_range ut_bad_ranges[] = {
    {0, 8},                        // null
    {1, 8},                        // a small number
    {PAGE - 1, 2},                 // the end of page 0
    {LOWER_END - 8, 16},           // the last user bytes, on into the hole
    {LOWER_END - PAGE, 2 * PAGE},  // the last user page and the next
    {LOWER_END, 8},                // the first non-canonical address
    {0x8000000000000000ul, 8},     // bit 63 alone
    {KERNEL_LOW, 8},               // the kernel half's first byte
    {KERNEL_IMG, 8},               // the kernel image
    {~0ul, 1},                     // the last byte of all
    {~0ul - 7, 16},                // a range that wraps past ~0
    {FAR_AWAY, 8},                 // mapped by nobody
    {FAR_AWAY - 8, 4096},          // unmapped either side
};
const int ut_nbad = (int)(sizeof ut_bad_ranges / sizeof ut_bad_ranges[0]);
#define NBAD       ut_nbad
#define bad_ranges ut_bad_ranges

static long global_word = 1;  // a page of the program's data

// --- Bad pointers. -----------------------------------------------------------

static const char *write_bad_buffers(void) {
    char buf[16] = "x";
    for (int i = 0; i < NBAD; i++) {
        long r = write((const void *)bad_ranges[i].addr, bad_ranges[i].len);
        if (r != E_FAULT)
            return ut_why("write(%#lx, %lu) = %ld", bad_ranges[i].addr, bad_ranges[i].len, r);
    }
    // Lengths that wrap around or run far past the stack.
    const unsigned long lens[] = {~0ul, ~0ul - 15, 1ul << 47, 1ul << 40, LOWER_END};
    for (int i = 0; i < 5; i++) {
        long r = write(buf, lens[i]);
        if (r != E_FAULT)
            return ut_why("write(stack, %#lx) = %ld", lens[i], r);
    }
    return NULL;
}

static const char *write_zero_length(void) {
    char buf[4] = "x";
    const void *addrs[] = {NULL, (const void *)1, buf, (const void *)FAR_AWAY};
    for (int i = 0; i < 4; i++) {
        long r = write(addrs[i], 0);
        if (r != 0)
            return ut_why("write(%p, 0) = %ld", addrs[i], r);
    }
    return NULL;
}

static const char *write_after_unmap(void) {
    char *p = map(PAGE, MAP_WRITE);
    if (p == NULL)
        return "map(4096) failed";
    p[0] = 'x';
    if (unmap(p, PAGE) != 0)
        return "unmap failed";
    long r = write(p, 1);
    return r == E_FAULT ? NULL : ut_why("write of an unmapped page = %ld", r);
}

static const char *write_still_works(void) {
    static const char line[] = "usertests: a good write after the bad ones\n";
    long r = write(line, sizeof line - 1);
    return r == (long)sizeof line - 1 ? NULL : ut_why("write = %ld", r);
}

// --- map and unmap. ----------------------------------------------------------

static const char *map_bad_arguments(void) {
    const unsigned long lens[] = {0,         GIB + 1,   GIB + PAGE, 2 * GIB,
                                  1ul << 47, 1ul << 63, ~0ul,       ~0ul - PAGE + 1};
    for (int i = 0; i < 8; i++) {
        long r = map_raw(lens[i], MAP_WRITE);
        if (r != E_INVAL)
            return ut_why("map(%#lx, MAP_WRITE) = %ld", lens[i], r);
    }
    const int flags[] = {MAP_WRITE | MAP_EXEC, 4, 8, 0x100, -1, (int)0x80000000u};
    for (int i = 0; i < 6; i++) {
        long r = map_raw(PAGE, flags[i]);
        if (r != E_INVAL)
            return ut_why("map(4096, %#x) = %ld", flags[i], r);
    }
    return NULL;
}

static bool all_zero(const unsigned char *p, unsigned long len) {
    for (unsigned long i = 0; i < len; i++)
        if (p[i])
            return false;
    return true;
}

static const char *map_zeroed_and_rounded(void) {
    for (int round = 0; round < 3; round++) {
        unsigned char *p = map(100, MAP_WRITE);
        if (p == NULL)
            return "map(100) failed";
        if ((uint64_t)p % PAGE)
            return ut_why("map(100) = %p, not page-aligned", (void *)p);
        if (!all_zero(p, PAGE))
            return ut_why("round %d: the page was not zeroed", round);
        for (unsigned long i = 0; i < PAGE; i++)
            p[i] = 0xa5;  // the whole rounded page is ours
        if (unmap(p, 100) != 0)
            return "unmap(p, 100) failed";
    }
    unsigned char *r = map(3 * PAGE, 0);
    if (r == NULL || !all_zero(r, 3 * PAGE))
        return "a read-only map() is not readable zeroes";
    return unmap(r, 3 * PAGE) == 0 ? NULL : "unmap of the read-only region failed";
}

static const char *unmap_bad_addresses(void) {
    char stack_word = 0;
    const uint64_t text = (uint64_t)(void *)unmap_bad_addresses & ~(PAGE - 1);
    const uint64_t addrs[] = {0,
                              1,
                              PAGE,
                              LOWER_END - PAGE,
                              LOWER_END,
                              KERNEL_LOW,
                              KERNEL_IMG,
                              ~0ul & ~(PAGE - 1),
                              FAR_AWAY,
                              text,
                              (uint64_t)&stack_word & ~(PAGE - 1),
                              (uint64_t)&global_word & ~(PAGE - 1)};
    for (int i = 0; i < 12; i++) {
        long r = unmap((void *)addrs[i], PAGE);
        if (r != E_INVAL)
            return ut_why("unmap(%#lx, 4096) = %ld", addrs[i], r);
    }
    // Still alive: the stack, the data and the code were not taken away.
    return global_word == 1 && stack_word == 0 ? NULL : "the program's memory changed";
}

static const char *unmap_part_and_twice(void) {
    unsigned char *p = map(2 * PAGE, MAP_WRITE);
    if (p == NULL)
        return "map(8192) failed";
    const struct {
        uint64_t off, len;
    } parts[] = {{PAGE, PAGE}, {1, 2 * PAGE}, {0, 0},       {0, PAGE},        {0, 4 * PAGE},
                 {0, ~0ul},    {0, -PAGE},    {0, GIB + 1}, {PAGE, 2 * PAGE}, {2 * PAGE, PAGE}};
    for (int i = 0; i < 10; i++) {
        long r = unmap(p + parts[i].off, parts[i].len);
        if (r != E_INVAL)
            return ut_why("unmap(p + %#lx, %#lx) = %ld", parts[i].off, parts[i].len, r);
    }
    p[2 * PAGE - 1] = 1;  // all of it is still there
    if (unmap(p, 2 * PAGE - 100) != 0)
        return "unmap with a length that rounds to the size failed";
    long r = unmap(p, 2 * PAGE);
    return r == E_INVAL ? NULL : ut_why("a second unmap = %ld", r);
}

// Many regions of many sizes, given back out of order.
static const char *map_unmap_many(void) {
    enum { N = 100 };
    static unsigned char *addr[N];
    static unsigned long len[N];
    int got = 0;
    for (; got < N; got++) {
        len[got] = (unsigned long)(got % 7 + 1) * 1000 + (unsigned long)got;
        addr[got] = map(len[got], MAP_WRITE);
        if (addr[got] == NULL)
            break;
        addr[got][len[got] - 1] = (unsigned char)got;
    }
    if (got < N)
        return ut_why("map failed after %d regions", got);
    for (int step = 0; step < 2; step++)
        for (int i = step; i < got; i += 2)
            if (addr[i][len[i] - 1] != (unsigned char)i || unmap(addr[i], len[i]) != 0)
                return ut_why("region %d lost or not given back", i);
    return NULL;  // the last case compares the free memory with before the first
}

// --- Out of memory. ------------------------------------------------------------

static int last_failure;

int ut_memory_same(uint64_t before, uint64_t after) {
    return after <= before && before - after <= ut_memory_slack;
}

uint64_t ut_free_memory_seen = GIB, ut_memory_before;

uint64_t ut_free_memory_holding(void (*while_held)(void)) {
    enum { MAX = 256 };
    static void *got[MAX];
    static unsigned long size[MAX];
    int n = 0;
    uint64_t total = 0;
    // A map that fails may first take every free page (all or nothing), so
    // start near what there was last time, not at 1 GiB.
    unsigned long s = GIB / 2;
    while (s > PAGE && s > ut_free_memory_seen)
        s /= 2;
    for (; s >= PAGE && n < MAX; s /= 2) {
        while (n < MAX) {
            long r = map_raw(s, MAP_WRITE);
            if (r < 0) {
                last_failure = (int)r;
                break;
            }
            got[n] = (void *)r;
            size[n++] = s;
            total += s;
        }
    }
    if (while_held)
        while_held();
    while (n > 0) {
        n--;
        if (unmap(got[n], size[n]) != 0)
            return 0;
    }
    ut_free_memory_seen = total;
    return total;
}

uint64_t ut_free_memory(void) { return ut_free_memory_holding(NULL); }

// With every page taken: a big map and a small one fail, nothing kept.
static long more_big, more_small;
static void try_more(void) {
    more_big = map_raw(GIB, MAP_WRITE);
    more_small = map_raw(PAGE, MAP_WRITE);
    if (more_big >= 0)
        unmap((void *)more_big, GIB);
    if (more_small >= 0)
        unmap((void *)more_small, PAGE);
}

static const char *out_of_memory(void) {
    uint64_t got = ut_free_memory_holding(try_more);
    if (last_failure != E_NOMEM)
        return ut_why("map ran out with %d, not E_NOMEM", last_failure);
    if (more_big != E_NOMEM || more_small != E_NOMEM)
        return ut_why("with no memory left: map of 1 GiB = %ld, of a page = %ld", more_big,
                      more_small);
    if (got < (1ul << 20) || !ut_memory_same(ut_memory_before, got))
        return ut_why("map until E_NOMEM: %lu bytes; before the first case, %lu", got,
                      ut_memory_before);
    return NULL;
}

// --- Unknown calls and ticks. --------------------------------------------------

static const char *unknown_numbers(void) {
    const long numbers[] = {SYS_COUNT,
                            SYS_COUNT + 1,
                            64,
                            255,
                            256,
                            1l << 31,
                            1l << 32,
                            (long)(1ul << 63),
                            -1,
                            -2,
                            -SYS_COUNT,
                            0x7fffffffffffffffl,
                            (1l << 32) | SYS_TICKS,  // low 32 bits name a call
                            (1l << 32) | SYS_EXIT};  // ... and this one would end us
    for (int i = 0; i < 14; i++) {
        long r = sys_call(numbers[i], 77, 77, 77);
        if (r != E_NOSYS)
            return ut_why("system call %#lx = %ld", numbers[i], r);
    }
    return NULL;
}

static const char *ticks_with_any_arguments(void) {
    long last = ticks();
    for (int i = 0; i < 1000; i++) {
        long t = sys_call(SYS_TICKS, -1, (long)KERNEL_IMG, i);
        if (t < last)
            return ut_why("ticks went from %ld to %ld", last, t);
        last = t;
    }
    return NULL;
}

const struct ut_case calls04_cases[] = {
    {"bad pointers", "write: every bad buffer is E_FAULT", write_bad_buffers},
    {"bad pointers", "write: zero bytes from anywhere is 0", write_zero_length},
    {"bad pointers", "write: an unmapped page is E_FAULT", write_after_unmap},
    {"bad pointers", "write: a good write still works", write_still_works},
    {"map and unmap", "map: bad lengths and flags are E_INVAL", map_bad_arguments},
    {"map and unmap", "map: zeroed, rounded to pages", map_zeroed_and_rounded},
    {"map and unmap", "unmap: addresses never mapped, the program's own text, data and stack",
     unmap_bad_addresses},
    {"map and unmap", "unmap: part of a region, bad lengths, twice", unmap_part_and_twice},
    {"map and unmap", "map and unmap: 100 regions, given back out of order", map_unmap_many},
    {"out of memory", "map until E_NOMEM, then 1 GiB and a page fail; all given back",
     out_of_memory},
    {"unknown calls", "unknown system call numbers are E_NOSYS", unknown_numbers},
    {"unknown calls", "ticks: any arguments, never backwards", ticks_with_any_arguments},
};
const int calls04_count = (int)(sizeof calls04_cases / sizeof calls04_cases[0]);
