// mapper: map() and unmap(): fresh memory is zeroed and writable, W^X is
// enforced, regions go back; then map 1 MiB at a time until the kernel
// says E_NOMEM, and give it all back. The kernel's last line,
//     run: done, free frames <before> -> <after>
// must then show two equal numbers: nothing leaked, even from a program
// that ran the machine out of memory.
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
// that each page is really there (one byte a page keeps this fast).
// Returns how many it got; *error is what map() said at the end.
static int map_until_full(long *error) {
    int n = 0;
    *error = 0;
    while (n < MAX_REGIONS) {
        long addr = map_raw(MIB, MAP_WRITE);
        if (addr < 0) {
            *error = addr;
            break;
        }
        regions[n] = (char *)addr;
        for (unsigned long off = 0; off < MIB; off += PAGE)
            regions[n][off] = 1;
        n++;
    }
    return n;
}

static void exhaust_memory(void) {
    long error, start = ticks();
    int n = map_until_full(&error);
    printf("mapper: mapped %d MiB in %ld ticks before map() returned %ld\n", n, ticks() - start,
           error);
    CHECK(n > 0, "some 1 MiB regions were mapped");
    CHECK(error == E_NOMEM, "running out is E_NOMEM");
    int returned = 0;
    for (int i = 0; i < n; i++)
        returned += unmap(regions[i], MIB) == 0;
    CHECK(returned == n, "every region unmapped");
    char *again = map(MIB, MAP_WRITE);
    CHECK(again != NULL, "after that, a 1 MiB map() works again");
    if (again)
        unmap(again, MIB);
}

int main(void) {
    printf("mapper: map(), unmap(), then map() until memory runs out\n");
    map_and_unmap();
    bad_maps();
    exhaust_memory();
    return checks_done();
}
