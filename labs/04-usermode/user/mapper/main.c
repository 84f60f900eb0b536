// mapper: map() and unmap(), then map until memory runs out, and give
// everything back (the kernel's run line must then show no lost frames).
#include "check.h"
#include "syscall.h"

#define MIB (1ul << 20)
static char *regions[4096];

int main(void) {
    char *p = map(4096, MAP_WRITE);
    CHECK(p != 0, "map 4 KiB");
    int zero = 1;
    for (int i = 0; p && i < 4096; i++)
        zero &= p[i] == 0;
    CHECK(zero, "fresh memory is zeroed");
    if (p)
        p[100] = 42;
    CHECK(map_raw(4096, MAP_WRITE | MAP_EXEC) == E_INVAL, "writable and executable is refused");
    CHECK(map_raw(0, MAP_WRITE) == E_INVAL, "length 0 is refused");
    CHECK(map_raw(4096, 8) == E_INVAL, "unknown flags are refused");
    CHECK(unmap(p, 4096) == 0, "unmap");
    CHECK(unmap(p, 4096) == E_INVAL, "unmap twice fails");
    int n = 0;
    long last = 0;
    while (n < 4096) {
        last = map_raw(MIB, MAP_WRITE);
        if (last < 0)
            break;
        regions[n] = (char *)last;
        for (unsigned long off = 0; off < MIB; off += 4096)
            regions[n][off] = 1;       // touch every page
        n++;
    }
    printf("mapped %d MiB before map() said %ld\n", n, last);
    CHECK(n > 0 && last == E_NOMEM, "running out of memory is E_NOMEM");
    int freed = 0;
    while (n > 0)
        freed += unmap(regions[--n], MIB) == 0;
    CHECK(freed > 0, "everything given back");
    return checks_done();
}
