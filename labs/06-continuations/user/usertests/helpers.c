// helpers.c: what every case file may call, in lab 06 and in final/ alike
// (final/ links this file): a failed check's report, a continuation that
// does nothing, a region's address, and the bad address ranges every
// pointer argument is tried with.
#include "usertests.h"

long check_failed(int line, const char *what, long got, long want) {
    printf("usertests: case %d, line %d: %s is %ld (0x%lx), expected %ld\n", case_number, line,
           what, got, (unsigned long)got, want);
    return line;
}

long noop(long arg, long value) { return 0; }

bool console_readable(void) { return (cap_type(console) & CAP_READ) != 0; }

uint64_t region_at(uint64_t handle) {
    struct cap_info info = {0};
    cap_inspect(handle, &info);
    return info.base;
}

uint64_t readonly_page(void) { return region_at((uint64_t)region_new(4096, CAP_READ)); }

// The first byte past a mapped page: a two-page region of which only the
// first page stays mapped (a capability over it; the whole one dropped).
static uint64_t mapped_edge(void) {
    long whole = region_new(8192, CAP_READ | CAP_WRITE);
    long first = cap_derive((uint64_t)whole, CAP_READ | CAP_WRITE, 0, 4096);
    cap_drop((uint64_t)whole);
    return region_at((uint64_t)first) + 4096;
}

int bad_ranges(struct range *out, uint64_t size, bool lengths) {
    uint64_t edge = mapped_edge(), good = edge - 4096;
    const struct range fixed[] = {
        {0, size},
        {1, size},
        {0xfff, size},
        {0x3ff000, size},                 // just below the first region
        {USER_TOP - 4096, size + 4096},   // the last user page, and across its end
        {USER_TOP - size / 2 - 1, size},  // across the end of the lower half
        {USER_TOP, size},                 // the first non-canonical address
        {DIRECT_MAP, size},               // the kernel half: RAM
        {0xffffffff80000000ul, size},     // the kernel image
        {KERNEL_TEXT, size},
        {~0ul - size / 2, size},  // wraps around zero
        {~0ul, size},
        {edge - size / 2 - 1, size},  // a mapped page, then an unmapped one
        {edge, size},                 // reserved but unmapped
    };
    int n = 0;
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        out[n++] = fixed[i];
    if (lengths) {
        const struct range huge[] = {
            {good, ~0ul},             // wraps
            {good, ~0ul - good + 2},  // ends at 1, after wrapping
            {good, 1ul << 63},
            {good, USER_TOP},
            {good, 4097 + 4096},         // past the mapped page
            {0x7ffffffff000ul, 0x2000},  // the last user page into the hole
        };
        for (unsigned i = 0; i < sizeof huge / sizeof huge[0]; i++)
            out[n++] = huge[i];
    }
    return n;
}
