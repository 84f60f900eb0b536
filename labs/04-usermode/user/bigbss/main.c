// bigbss: a large BSS (uninitialised globals) must read as zero: the
// loader maps zeroed pages past the end of the file's data.
#include "check.h"

static unsigned long big[(1 << 20) / sizeof(unsigned long)];   // 1 MiB

int main(void) {
    unsigned long nonzero = 0;
    for (unsigned long i = 0; i < sizeof big / sizeof big[0]; i++)
        nonzero += big[i] != 0;
    CHECK(nonzero == 0, "1 MiB of BSS reads as zero");
    for (unsigned long i = 0; i < sizeof big / sizeof big[0]; i += 512)
        big[i] = i;
    int same = 1;
    for (unsigned long i = 0; i < sizeof big / sizeof big[0]; i += 512)
        same &= big[i] == i;
    CHECK(same, "and can be written");
    return checks_done();
}
