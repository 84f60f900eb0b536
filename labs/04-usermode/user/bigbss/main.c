// bigbss: a 1 MiB array that is never initialised lives in BSS: the ELF
// file stores only its size (memsz above filesz in the data segment), and
// the loader must hand over zeroed memory for all of it.
#include "check.h"
#include "printf.h"

#define WORDS ((1ul << 20) / sizeof(unsigned long))

static unsigned long big[WORDS];                    // 1 MiB, in .bss
static unsigned long initialised = 0x1234567890ul;  // in .data, just before it

static bool all_zero(void) {
    for (unsigned long i = 0; i < WORDS; i++)
        if (big[i] != 0)
            return false;
    return true;
}

static bool write_and_read_back(void) {
    for (unsigned long i = 0; i < WORDS; i++)
        big[i] = i * 0x9E3779B97F4A7C15ul;  // a different value in each word
    for (unsigned long i = 0; i < WORDS; i++)
        if (big[i] != i * 0x9E3779B97F4A7C15ul)
            return false;
    return true;
}

int main(void) {
    printf("bigbss: 1 MiB of BSS at %p\n", (void *)big);
    CHECK(initialised == 0x1234567890ul, "initialised data has its value");
    CHECK(all_zero(), "all of the 1 MiB reads as zero");
    CHECK(write_and_read_back(), "every word can be written and read back");
    return checks_done();
}
