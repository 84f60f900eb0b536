// sysfuzz-04: random system calls of lab 04's ABI (write, map, unmap,
// ticks, unknown numbers) for a fixed list of seeds run one after another
// (run= passes a program no arguments, and a seed must be replayable: the
// same seed makes the same calls and, under the grader's -icount, sees the
// same answers).
//
//   sysfuzz-04: seed 1: 6700 calls, then everything given back
//   ..............................................................
//   sysfuzz-04: seed 1: PASS: 6722 calls, 0 anomalies
//   ...
//   sysfuzz-04: PASS: 20100 calls
//
// It keeps a model of its memory: the regions map() gave it (address, the
// length it asked for, pages, flags, a marker byte) and the regions it gave
// back. Arguments come mostly from that model (whole regions, parts of
// them, regions given back, lengths that round to the region's size or
// not), partly from edge values (0, 1, the last user page and past it, the
// first non-canonical address, the kernel half, ~0, wrapping and huge
// lengths, unknown flags and call numbers). Every answer is checked against
// docs/abi.md and the model; one that breaks either is an anomaly: an error
// the call does not give, a map that overlaps memory still held or is not
// zeroed, an unmap of part of a region that succeeds, a write of memory
// given back that is not E_FAULT. Memory is touched only where the model
// says it is mapped, so a kernel that takes a page away behind the
// program's back kills it, which fails the run too.
//
// The writes the kernel must accept copy dots from a writable region:
// printable bytes, a line of them at a time, so the log stays readable.
// After each seed it gives back everything it holds. The kernel must never
// panic, and run: done's counts must be equal (grading/specs/04-usermode.json).
//
// Later labs link it (the snapshot rule) and build it on their library,
// which rebuilds map and unmap on capabilities; only lab 04's spec runs it
// (lab 05 has sysfuzz-05 for its own calls, and from lab 06 on a program has
// a time budget this run does not fit).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "printf.h"
#include "rng.h"
#include "syscall.h"

#define PAGE       4096ul
#define GIB        (1ul << 30)
#define LOWER_END  0x0000800000000000ul  // the first address past the lower half
#define KERNEL_LOW 0xffff800000000000ul  // the start of the kernel half (direct map)
#define KERNEL_IMG 0xffffffff80100000ul  // where the kernel is linked
#define FAR_AWAY   0x0000100000000000ul  // user half, mapped by nobody
#define STACK_SIZE 0x10000ul             // the kernel's stack region (docs/abi.md: 60 KiB + guard)
#define HELD_MAX   48                    // regions held at once (the kernel allows 256)
#define GONE_MAX   64                    // regions given back that it remembers
#define LINE       64                    // dots a line
#define CALLS      6700                  // a seed: three of them, about 20,000 calls a run

static const uint64_t seeds[] = {1, 2, 3};

struct region {
    uint64_t addr, len, pages;  // len as passed to map(); pages: what it covers
    int flags;
    uint8_t mark;  // byte 0 of a writable region (0 for the others)
};

static struct region held[HELD_MAX];  // what map() gave and unmap() has not taken
static int nheld;
static struct region gone[GONE_MAX];  // given back: a ring, the oldest overwritten
static int ngone, gone_next;
// Set when an answer broke the model (an unmap of a part, or a write that
// must fail, succeeded): what is mapped is unknown for the rest of the seed,
// so it makes no more writes a correct kernel refuses (they could print any
// bytes, or run for a very long time).
static bool unsure;
static unsigned long calls, anomalies;
static long last_ticks;
static int column;  // dots written on the current line

extern const char __ehdr_start[];  // the linker's name for the first byte of the image

// --- Sizes and the model. -------------------------------------------------------

static uint64_t pages_of(uint64_t len) { return (len + PAGE - 1) / PAGE; }

// The smallest power of two >= pages: the kernel's regions are buddy blocks,
// so a region may reach that far past what it maps (its size in docs/abi.md).
static uint64_t span_of(uint64_t pages) {
    uint64_t span = 1;
    while (span < pages)
        span <<= 1;
    return span;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
    return a < b + blen && b < a + alen;
}

static int held_at(uint64_t addr) {
    for (int i = 0; i < nheld; i++)
        if (held[i].addr == addr)
            return i;
    return -1;
}

// [a, a + n) inside one region given back, and out of reach of every region
// held now: memory a correct kernel no longer maps for the program.
static bool given_back(uint64_t a, uint64_t n) {
    if (unsure)
        return false;
    bool inside = false;
    for (int i = 0; i < ngone && !inside; i++) {
        uint64_t size = gone[i].pages * PAGE;
        inside = a >= gone[i].addr && n <= size && a - gone[i].addr <= size - n;
    }
    for (int i = 0; i < nheld && inside; i++)
        inside = !overlaps(a, n, held[i].addr, span_of(held[i].pages) * PAGE);
    return inside;
}

static void forget(int i) { held[i] = held[--nheld]; }

// The kernel's answer about [a, a + n) broke the model: the held regions
// there may be mapped or not, so they are never touched again.
static void forget_overlapping(uint64_t a, uint64_t n) {
    for (int i = nheld - 1; i >= 0; i--)
        if (overlaps(a, n, held[i].addr, held[i].pages * PAGE))
            forget(i);
    unsure = true;
}

static void remember_gone(int i) {
    gone[gone_next] = held[i];
    gone_next = (gone_next + 1) % GONE_MAX;
    if (ngone < GONE_MAX)
        ngone++;
    forget(i);
}

// --- Calls and their checks. -------------------------------------------------------

static void end_line(void) {
    if (column > 0)
        printf("\n");
    column = 0;
}

static void anomaly(const char *what, const char *name, uint64_t a, uint64_t b, long r) {
    anomalies++;
    if (anomalies > 10)
        return;
    end_line();
    printf("sysfuzz-04: ANOMALY at call %lu: %s: %s(0x%lx, 0x%lx) = %ld\n", calls, what, name, a, b,
           r);
}

static long do_write(uint64_t buf, uint64_t len) {
    calls++;
    return write((const void *)buf, len);
}

static long do_map(uint64_t len, int flags) {
    calls++;
    return map_raw(len, flags);
}

static long do_unmap(uint64_t addr, uint64_t len) {
    calls++;
    return unmap((void *)addr, len);
}

// write(buf, len) must answer want.
static void write_must(uint64_t buf, uint64_t len, long want, const char *what) {
    long r = do_write(buf, len);
    if (r != want)
        anomaly(what, "write", buf, len, r);
    unsure = unsure || (r >= 0 && want < 0);
}

// --- Touching held memory. -----------------------------------------------------------

// Every page of a held region is there: a fresh or read-only one reads
// zero, a writable one keeps its marker at byte 0 (and gets a byte written).
static void touch(const struct region *h, bool fresh) {
    volatile uint8_t *p = (volatile uint8_t *)h->addr;
    for (uint64_t page = 0; page < h->pages; page++) {
        uint64_t off = page * PAGE + below(PAGE / 8) * 8;
        uint64_t word = *(volatile uint64_t *)(p + off);
        if (word != 0 && (fresh || !(h->flags & MAP_WRITE)))
            anomaly("memory map() gave is not zero", "map", h->addr, h->len, (long)word);
    }
    if ((h->flags & MAP_WRITE) && p[0] != h->mark)
        anomaly("a held region lost its contents", "map", h->addr, h->len, p[0]);
    if (h->flags & MAP_WRITE)
        p[1 + below(h->pages * PAGE - 1)] = (uint8_t)rng();
}

static void fuzz_touch(void) {
    if (nheld > 0)
        touch(&held[below((uint64_t)nheld)], false);
}

// --- map. --------------------------------------------------------------------------------

static uint64_t a_map_length(void) {
    uint64_t r = below(100);
    if (r < 85) {
        uint64_t pages = r < 75 ? below(8) + 1 : below(64) + 1;
        return pages * PAGE - (chance(30) ? below(PAGE) : 0);
    }
    static const uint64_t edges[] = {0,         GIB + 1,   GIB + PAGE,      2 * GIB, 1ul << 47,
                                     1ul << 63, LOWER_END, ~0ul - PAGE + 1, ~0ul};
    return edges[below(sizeof edges / sizeof edges[0])];
}

static int some_flags(void) {
    static const int usual[] = {MAP_WRITE, MAP_WRITE, MAP_WRITE, 0, MAP_EXEC};
    static const int odd[] = {MAP_WRITE | MAP_EXEC, 4, 8, 0x100, -1, (int)0x80000000u};
    if (chance(90))
        return usual[below(5)];
    return chance(50) ? odd[below(6)] : (int)rng();
}

static bool map_valid(uint64_t len, int flags) {
    return len > 0 && len <= GIB && (flags == 0 || flags == MAP_WRITE || flags == MAP_EXEC);
}

// An address map() gave must be new memory: page-aligned, in the lower half,
// clear of every held region and of the program's own image and stack.
static bool fresh_address(uint64_t a, uint64_t len) {
    uint64_t size = pages_of(len) * PAGE, stack_word = 0;
    if (a == 0 || a % PAGE || a >= LOWER_END || size > LOWER_END - a)
        return false;
    for (int i = 0; i < nheld; i++)
        if (overlaps(a, size, held[i].addr, held[i].pages * PAGE))
            return false;
    return !overlaps(a, size, (uint64_t)__ehdr_start, PAGE) &&
           !overlaps(a, size, (uint64_t)fresh_address, 1) &&
           !overlaps(a, size, (uint64_t)&nheld, 1) && !overlaps(a, size, (uint64_t)&stack_word, 8);
}

static void give_back_one(void);

static void fuzz_map(void) {
    uint64_t len = a_map_length();
    int flags = some_flags();
    bool valid = map_valid(len, flags);
    if (valid && nheld == HELD_MAX) {
        give_back_one();  // full: make room instead
        return;
    }
    long r = do_map(len, flags);
    if (!valid) {
        if (r != E_INVAL)
            anomaly("a bad length or flags is not E_INVAL", "map", len, (uint64_t)flags, r);
        return;
    }
    if (r < 0) {  // not even E_NOMEM: 48 regions of at most 64 pages are far from the end
        anomaly("map refused a small region", "map", len, (uint64_t)flags, r);
        return;
    }
    if (!fresh_address((uint64_t)r, len)) {
        anomaly("map gave memory that is not new", "map", len, (uint64_t)flags, r);
        forget_overlapping((uint64_t)r, pages_of(len) * PAGE);
        return;
    }
    struct region *h = &held[nheld++];
    *h = (struct region){(uint64_t)r, len, pages_of(len), flags, 0};
    touch(h, true);
    if (flags & MAP_WRITE) {
        h->mark = (uint8_t)(1 + below(255));
        *(volatile uint8_t *)h->addr = h->mark;
    }
}

// --- unmap. ------------------------------------------------------------------------------

#define EITHER 1  // an answer unmap may give as 0 or E_INVAL (see unmap_answer)

// docs/abi.md: 0 for a held region's address and a length that rounds up to
// its size. The same number of pages always does, a length in another
// power-of-two class never does (whether the size is the pages or the
// buddy block), and one in the same class may (the block, as lab 04 does).
static long unmap_answer(uint64_t addr, uint64_t len) {
    int i = held_at(addr);
    if (i < 0 || len == 0 || len > GIB)
        return E_INVAL;
    uint64_t pages = pages_of(len);
    if (pages == held[i].pages)
        return 0;
    return span_of(pages) == span_of(held[i].pages) ? EITHER : E_INVAL;
}

// Lengths for a held region: the same pages, another class, the same class.
static uint64_t a_length_for(const struct region *h) {
    uint64_t span = span_of(h->pages), r = below(100);
    if (r < 40)
        return (h->pages - 1) * PAGE + 1 + below(PAGE);
    if (r < 55)
        return span * PAGE + 1 + below(span * PAGE);
    if (r < 70 && span > 1)
        return 1 + below(span / 2 * PAGE);
    if (r < 85)
        return (span / 2 + 1 + below(span - span / 2)) * PAGE;
    static const uint64_t edges[] = {0, GIB, GIB + 1, 2 * GIB, 1ul << 63, -PAGE, LOWER_END, ~0ul};
    return edges[below(sizeof edges / sizeof edges[0])];
}

// Addresses no map() returned: edges, the program's own image and stack.
static uint64_t an_unmap_edge(void) {
    uint64_t stack_word = 0;
    uint64_t edges[] = {0,
                        1,
                        PAGE,
                        LOWER_END - PAGE,
                        LOWER_END,
                        KERNEL_LOW,
                        KERNEL_IMG,
                        ~0ul & ~(PAGE - 1),
                        FAR_AWAY,
                        (uint64_t)__ehdr_start,
                        (uint64_t)&stack_word & ~(STACK_SIZE - 1),
                        (uint64_t)&stack_word & ~(PAGE - 1),
                        (uint64_t)&nheld & ~(PAGE - 1)};
    return edges[below(sizeof edges / sizeof edges[0])];
}

// After a region went back: any part of it must now be E_FAULT for write.
static void check_given_back(const struct region *g) {
    uint64_t n = 1 + below(16), a = g->addr + below(g->pages * PAGE - n + 1);
    if (given_back(a, n))
        write_must(a, n, E_FAULT, "write of memory given back is not E_FAULT");
}

static void unmap_and_check(uint64_t addr, uint64_t len) {
    long want = unmap_answer(addr, len);
    long r = do_unmap(addr, len);
    int i = held_at(addr);
    bool allowed = r == want || (want == EITHER && (r == 0 || r == E_INVAL));
    if (!allowed) {
        anomaly(r == 0            ? "unmap of what map did not give succeeded"
                : want == E_INVAL ? "a bad unmap is not E_INVAL"
                                  : "unmap of a whole held region failed",
                "unmap", addr, len, r);
        if (r == 0)
            forget_overlapping(addr, 1);
        return;
    }
    if (r == 0) {
        remember_gone(i);
        check_given_back(&gone[(gone_next + GONE_MAX - 1) % GONE_MAX]);
    } else if (i >= 0) {
        touch(&held[i], false);  // refused, so still all there
    }
}

static void give_back_one(void) {
    const struct region *h = &held[below((uint64_t)nheld)];
    unmap_and_check(h->addr, chance(50) ? h->len : (h->pages - 1) * PAGE + 1 + below(PAGE));
}

static void fuzz_unmap(void) {
    uint64_t r = below(100);
    const struct region *h = nheld > 0 ? &held[below((uint64_t)nheld)] : NULL;
    if (r < 30 && h)
        give_back_one();
    else if (r < 50 && h)
        unmap_and_check(h->addr, a_length_for(h));
    else if (r < 65 && h) {  // inside: a later page, or not page-aligned
        uint64_t off =
            h->pages > 1 && chance(50) ? (1 + below(h->pages - 1)) * PAGE : 1 + below(PAGE - 1);
        unmap_and_check(h->addr + off, chance(50) ? h->len : a_length_for(h));
    } else if (r < 85 && ngone > 0) {  // twice
        const struct region *g = &gone[below((uint64_t)ngone)];
        unmap_and_check(g->addr, chance(70) ? g->len : a_length_for(g));
    } else {
        unmap_and_check(an_unmap_edge(), chance(50) ? PAGE << below(5) : a_map_length());
    }
}

// --- write. ------------------------------------------------------------------------------

// A few dots from a writable region (across a page boundary half the time):
// the kernel must take them all.
static void write_dots(void) {
    static char spare[32];  // when no writable region is held
    const struct region *h = NULL;
    for (int tries = 0; tries < 4 && nheld > 0 && !h; tries++) {
        h = &held[below((uint64_t)nheld)];
        h = h->flags & MAP_WRITE ? h : NULL;
    }
    uint64_t n = 1 + below(16), buf = (uint64_t)spare;
    if (h && h->pages > 1 && chance(50))
        buf = h->addr + (1 + below(h->pages - 1)) * PAGE - 1 - below(n);
    else if (h)
        buf = h->addr + 1 + below(PAGE - n);
    for (uint64_t i = 0; i < n; i++) {
        bool end = ++column == LINE;
        ((char *)buf)[i] = end ? '\n' : '.';
        column = end ? 0 : column;
    }
    write_must(buf, n, (long)n, "a write of held memory was refused");
}

// Memory given back, alone or next to a held region: E_FAULT.
static void write_given_back(void) {
    if (ngone == 0)
        return;
    const struct region *g = &gone[below((uint64_t)ngone)];
    uint64_t n = 1 + below(2 * PAGE), size = g->pages * PAGE;
    uint64_t a = g->addr + below(size);
    n = n > g->addr + size - a ? g->addr + size - a : n;
    if (given_back(a, n))
        write_must(a, n, E_FAULT, "write of memory given back is not E_FAULT");
    if (nheld == 0)
        return;
    const struct region *h = &held[below((uint64_t)nheld)];
    uint64_t end = h->addr + h->pages * PAGE, k = 1 + below(64);
    if (given_back(end, PAGE))  // from the held region's last bytes on
        write_must(end - k, k + 1 + below(PAGE), E_FAULT, "a write running off a region");
    if (h->addr >= PAGE && given_back(h->addr - PAGE, PAGE))  // from below into it
        write_must(h->addr - k, k + 1 + below(64), E_FAULT, "a write running into a region");
}

// Never the program's memory, whatever it holds: E_FAULT.
static void write_edge(void) {
    static const struct {
        uint64_t addr, len;  // len: the least that must fail
    } edges[] = {
        {0, 1},
        {1, 1},
        {PAGE - 1, 1},
        {LOWER_END - 8, 9},
        {LOWER_END - PAGE, PAGE + 1},
        {LOWER_END, 1},
        {1ul << 63, 1},
        {KERNEL_LOW, 1},
        {KERNEL_IMG, 1},
        {~0ul, 1},
        {~0ul - 7, 9},
        {FAR_AWAY, 1},
    };
    uint64_t i = below(sizeof edges / sizeof edges[0]);
    uint64_t a = edges[i].addr, n = edges[i].len + (chance(50) ? below(3 * PAGE) : 0);
    for (int j = 0; j < nheld; j++)
        if (a == FAR_AWAY && overlaps(a, n, held[j].addr, span_of(held[j].pages) * PAGE))
            return;  // map gave it (not likely, but possible)
    write_must(a, n, E_FAULT, "write of memory the program never had is not E_FAULT");
}

// A held buffer (or the stack) with a length that wraps or runs far past it.
static void write_huge(void) {
    uint64_t stack_word = 0, buf = (uint64_t)&stack_word;
    if (nheld > 0) {
        const struct region *h = &held[below((uint64_t)nheld)];
        buf = h->addr + below(h->pages * PAGE);
    }
    static const uint64_t lens[] = {~0ul, ~0ul - 15, 1ul << 63, 1ul << 47, 1ul << 40, LOWER_END};
    uint64_t n = chance(80) ? lens[below(6)] : LOWER_END - buf + below(PAGE);
    write_must(buf, n, E_FAULT, "a huge or wrapping write is not E_FAULT");
}

static void write_empty(void) {
    uint64_t r = below(4), a = rng();
    if (r == 0 && nheld > 0)
        a = held[below((uint64_t)nheld)].addr;
    else if (r == 1 && ngone > 0)
        a = gone[below((uint64_t)ngone)].addr;
    else if (r == 2)
        a = an_unmap_edge();
    write_must(a, 0, 0, "a write of 0 bytes is not 0");
}

static void fuzz_write(void) {
    uint64_t r = below(100);
    if (r < 3)
        write_dots();
    else if (unsure)
        write_empty();
    else if (r < 40)
        write_given_back();
    else if (r < 65)
        write_edge();
    else if (r < 85)
        write_huge();
    else
        write_empty();
}

// --- ticks and unknown numbers. --------------------------------------------------------

static void fuzz_ticks(void) {
    calls++;
    long t = sys_call(SYS_TICKS, (long)rng(), (long)KERNEL_IMG, (long)rng());
    if (t < last_ticks)
        anomaly("ticks went backwards", "ticks", (uint64_t)last_ticks, 0, t);
    last_ticks = t > last_ticks ? t : last_ticks;
}

// Past SYS_COUNT, negative, huge, or a real call in the low 32 bits (a
// kernel that looks at eax alone would run it: exit would end the run).
static void fuzz_unknown(void) {
    static const long low[] = {SYS_EXIT, SYS_WRITE, SYS_TICKS};
    long nr, r = (long)below(4);
    if (r == 0)
        nr = SYS_COUNT + (long)below(300);
    else if (r == 1)
        nr = -1 - (long)below(1ul << 40);
    else if (r == 2)
        nr = (long)(rng() | 1ul << 40 | 0x10);
    else
        nr = (long)((below(0xffff) + 1) << 32 | (uint64_t)low[below(3)]);
    calls++;
    long got = sys_call(nr, 99, 8, 0);  // as exit: code 99; as write: 8 bytes at 99
    if (got != E_NOSYS)
        anomaly("an unknown call is not E_NOSYS", "syscall", (uint64_t)nr, 99, got);
}

// --- Seeds. -------------------------------------------------------------------------------

static void one_call(void) {
    uint64_t r = below(100);
    if (r < 28)
        fuzz_map();
    else if (r < 52)
        fuzz_unmap();
    else if (r < 80)
        fuzz_write();
    else if (r < 86)
        fuzz_touch();
    else if (r < 91)
        fuzz_ticks();
    else
        fuzz_unknown();
}

static bool run_seed(uint64_t seed) {
    rng_seed(seed);
    nheld = ngone = gone_next = 0;
    unsure = false;
    unsigned long calls_before = calls, anomalies_before = anomalies;
    printf("sysfuzz-04: seed %lu: %d calls, then everything given back\n", seed, CALLS);
    while (calls - calls_before < CALLS)
        one_call();
    while (nheld > 0)  // everything back, and each one must go
        unmap_and_check(held[nheld - 1].addr, held[nheld - 1].len);
    end_line();
    bool pass = anomalies == anomalies_before;
    printf("sysfuzz-04: seed %lu: %s: %lu calls, %lu anomalies\n", seed, pass ? "PASS" : "FAIL",
           calls - calls_before, anomalies - anomalies_before);
    return pass;
}

int main(void) {
    bool pass = true;
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        pass = run_seed(seeds[i]) && pass;
    printf("sysfuzz-04: %s: %lu calls\n", pass ? "PASS" : "FAIL", calls);
    return pass ? 0 : 1;
}
