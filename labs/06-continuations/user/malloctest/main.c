// malloctest: malloc and free from the user library (lib/malloc.c), over
// map(). Blocks of many sizes, from 1 byte to 100000, are filled with a
// pattern of their own; if two blocks overlapped, one pattern would be
// overwritten. Then everything is freed, and memory is reused. Lab 06:
// as a chain of continuations, each a slice of the work.
#include "check.h"
#include "syscall.h"
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

// Lab 06: the work on all 400 blocks is cut into slices of SLICE blocks,
// one continuation each, so that none runs near the time budget.
#define SLICE 20
enum op { ALLOCATE, CHECK_INTACT, FREE };
static const struct phase {
    enum op op;
    int step, first;
    const char *check;  // what to CHECK once the phase is done (NULL: nothing)
} phases[] = {
    {ALLOCATE, 1, 0, "every malloc succeeds, 16-byte aligned"},
    {CHECK_INTACT, 1, 0, "no block overlaps another"},
    {FREE, 2, 1, NULL},
    {CHECK_INTACT, 1, 0, "freeing every other block disturbs none of the rest"},
    {ALLOCATE, 2, 1, "the freed half can be allocated again"},
    {CHECK_INTACT, 1, 0, "still no overlaps"},
    {FREE, 1, 0, NULL},
};
#define NPHASES (int)(sizeof phases / sizeof phases[0])

static bool phase_ok = true;
static int next_block;

static long finish(long arg, long value);

// One slice of phase k, starting at block next_block.
static long run_phase(long k, long value) {
    const struct phase *ph = &phases[k];
    int i = next_block < ph->first ? ph->first : next_block;
    for (int done = 0; i < NBLOCKS && done < SLICE; i += ph->step, done++) {
        if (ph->op == ALLOCATE)
            phase_ok = allocate(i) && phase_ok;
        else if (ph->op == CHECK_INTACT)
            phase_ok = (!blocks[i] || intact(i)) && phase_ok;
        else {
            free(blocks[i]);
            blocks[i] = NULL;
        }
    }
    next_block = i;
    if (i < NBLOCKS)
        return cont_queue(run_phase, k);
    if (ph->check)
        CHECK(phase_ok, ph->check);
    phase_ok = true;
    next_block = 0;
    return cont_queue(k + 1 < NPHASES ? run_phase : finish, k + 1);
}

static long finish(long arg, long value) {
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

int main(void) {
    printf("malloctest: %d blocks of 1 to 100000 bytes\n", NBLOCKS);
    return cont_queue(run_phase, 0);
}
