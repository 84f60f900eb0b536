// malloctest: malloc and free from the user library (lib/malloc.c), over
// map(). Blocks of many sizes, from 1 byte to 100000, are filled with a
// pattern of their own; if two blocks overlapped, one pattern would be
// overwritten. Then everything is freed, and memory is reused.
#include "check.h"
#include "malloc.h"
#include "printf.h"
#include "string.h"
#include <stdint.h>

#define NBLOCKS 400
static unsigned char *blocks[NBLOCKS];
static unsigned long sizes[NBLOCKS];

// Sizes spread over 1..100000, small ones more often, in no particular order.
static unsigned long size_of(int i) {
    unsigned long r = (unsigned long)i * 2654435761ul;
    return i % 4 == 0 ? 1 + r % 100000 : 1 + r % 300;
}

static unsigned char pattern(int i) { return (unsigned char)(i * 37 + 1); }

static bool allocate(int i) {
    sizes[i] = size_of(i);
    blocks[i] = malloc(sizes[i]);
    if (!blocks[i])
        return false;
    memset(blocks[i], pattern(i), sizes[i]);
    return ((uintptr_t)blocks[i] & 15) == 0;
}

static bool intact(int i) {
    for (unsigned long k = 0; k < sizes[i]; k++)
        if (blocks[i][k] != pattern(i))
            return false;
    return true;
}

static bool allocate_all(int step, int first) {
    bool ok = true;
    for (int i = first; i < NBLOCKS; i += step)
        ok = allocate(i) && ok;
    return ok;
}

static bool all_intact(void) {
    for (int i = 0; i < NBLOCKS; i++)
        if (blocks[i] && !intact(i))
            return false;
    return true;
}

static void free_all(int step, int first) {
    for (int i = first; i < NBLOCKS; i += step) {
        free(blocks[i]);
        blocks[i] = NULL;
    }
}

int main(void) {
    printf("malloctest: %d blocks of 1 to 100000 bytes\n", NBLOCKS);
    CHECK(allocate_all(1, 0), "every malloc succeeds, 16-byte aligned");
    CHECK(all_intact(), "no block overlaps another");
    free_all(2, 1);
    CHECK(all_intact(), "freeing every other block disturbs none of the rest");
    CHECK(allocate_all(2, 1), "the freed half can be allocated again");
    CHECK(all_intact(), "still no overlaps");
    free_all(1, 0);

    unsigned char *big = malloc(200000);
    CHECK(big != NULL, "a 200000-byte block after freeing everything");
    free(big);
    CHECK(malloc(200000) == big, "freed memory is reused (first fit finds the same block)");
    CHECK(malloc(2ul << 30) == NULL, "malloc of 2 GiB returns NULL");

    printf("malloctest: now free(NULL), then one block freed twice (free should refuse it)\n");
    free(NULL);
    unsigned char *twice = malloc(100);
    free(twice);
    free(twice);
    unsigned char *a = malloc(100), *b = malloc(100);
    CHECK(a != NULL && b != NULL && a != b, "after that, the heap still works");
    return checks_done();
}
