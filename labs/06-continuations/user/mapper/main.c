// mapper: map() and unmap(): fresh memory is zeroed and writable, W^X is
// enforced, regions go back; then map 1 MiB at a time until the kernel
// says E_NOMEM, and give it all back. The kernel's last line,
//     run: done, free frames <before> -> <after>
// must then show two equal numbers: nothing leaked, even from a program
// that ran the machine out of memory. Lab 06: the long parts are chains
// of continuations.
#include "check.h"
#include "printf.h"
#include "syscall.h"

#define PAGE        4096ul
#define MIB         (1ul << 20)
#define MAX_REGIONS 8192  // 8 GiB: more than any machine we boot

static char *regions[MAX_REGIONS];

static bool all_zero(const char *p, unsigned long len) {
    for (unsigned long i = 0; i < len; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static void map_and_unmap(void) {
    char *p = map(PAGE, MAP_WRITE);
    CHECK(p != NULL, "map(4096, MAP_WRITE) gives memory");
    if (!p)
        return;
    CHECK(all_zero(p, PAGE), "fresh memory reads as zero");
    p[0] = 1;
    p[PAGE - 1] = 2;
    CHECK(p[0] == 1 && p[PAGE - 1] == 2, "and is writable");
    CHECK(unmap(p, 2 * MIB) == E_INVAL, "unmap with the wrong length fails");
    CHECK(unmap(p + PAGE / 2, PAGE) == E_INVAL, "unmap of an address inside it fails");
    CHECK(unmap(p, PAGE) == 0, "unmap gives it back");
    CHECK(unmap(p, PAGE) == E_INVAL, "a second unmap of it fails");

    char *ro = map(PAGE, 0);
    CHECK(ro != NULL && all_zero(ro, PAGE), "map(4096, 0) gives zeroed read-only memory");
    if (ro)
        unmap(ro, PAGE);
}

static void bad_maps(void) {
    CHECK(map_raw(PAGE, MAP_WRITE | MAP_EXEC) == E_INVAL,
          "writable and executable is refused (W^X)");
    CHECK(map_raw(0, MAP_WRITE) == E_INVAL, "length 0 is refused");
    CHECK(map_raw((1ul << 30) + 1, MAP_WRITE) == E_INVAL, "more than 1 GiB at once is refused");
    CHECK(map_raw(PAGE, 4) == E_INVAL, "an unknown flag is refused");
}

// Map 1 MiB regions until map() fails, writing one byte in every page so
// that each page is really there (one byte a page keeps this fast). Lab
// 06: one region a continuation, each well inside the time budget.
static int nmapped;
static long start_tick;

static long unmap_one(long i, long value);

static long map_one(long arg, long value) {
    long addr = nmapped < MAX_REGIONS ? map_raw(MIB, MAP_WRITE) : E_NOMEM;
    if (addr >= 0) {
        regions[nmapped] = (char *)addr;
        for (unsigned long off = 0; off < MIB; off += PAGE)
            regions[nmapped][off] = 1;
        nmapped++;
        return cont_queue(map_one, 0);
    }
    printf("mapper: mapped %d MiB in %ld ticks before map() returned %ld\n", nmapped,
           ticks() - start_tick, addr);
    CHECK(nmapped > 0, "some 1 MiB regions were mapped");
    CHECK(addr == E_NOMEM, "running out is E_NOMEM");
    return cont_queue(unmap_one, 0);
}

static int returned;

static long unmap_one(long i, long value) {
    if (i < nmapped) {
        returned += unmap(regions[i], MIB) == 0;
        return cont_queue(unmap_one, i + 1);
    }
    CHECK(returned == nmapped, "every region unmapped");
    char *again = map(MIB, MAP_WRITE);
    CHECK(again != NULL, "after that, a 1 MiB map() works again");
    if (again)
        unmap(again, MIB);
    return checks_done();
}

int main(void) {
    printf("mapper: map(), unmap(), then map() until memory runs out\n");
    map_and_unmap();
    bad_maps();
    start_tick = ticks();
    return cont_queue(map_one, 0);
}
