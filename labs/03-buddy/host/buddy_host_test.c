// buddy_host_test.c: kernel/buddy.c, built natively with AddressSanitizer
// and UndefinedBehaviorSanitizer, checked against a simple model.
//
// The model is a map of the managed units: which block owns each one. The
// random run allocates and frees a million times; every allocation must be
// aligned, inside the range and over units nobody owns, and when all is
// freed the allocator must be back to its first block counts.
#include "../kernel/buddy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_test.h"

#define UNIT 4096ull
static struct buddy b;
static void *metadata;

static void fresh(uint32_t max_blocks, int max_order) {
    free(metadata);
    size_t size = buddy_metadata_size(max_blocks);
    metadata = malloc(size);
    memset(metadata, 0xA5, size);  // garbage: init must not rely on zero
    buddy_init(&b, "test", 12, max_order, metadata, size);
}

static int consistent(void) {
    const char *why = NULL;
    if (buddy_check(&b, &why) < 0) {
        printf("  buddy_check: %s\n", why);
        return 0;
    }
    return 1;
}

static int test_split_and_coalesce(void) {
    fresh(64, 10);
    CHECK(buddy_add_range(&b, 0, 16 * UNIT) == 0);
    CHECK(b.free_blocks[4] == 1);
    uint64_t a;
    CHECK(buddy_alloc(&b, 0, &a) == 0 && a == 0);
    for (int k = 0; k < 4; k++)
        CHECK(b.free_blocks[k] == 1);  // one buddy left at each order
    CHECK(consistent());
    CHECK(buddy_free(&b, a, 0) == 0);
    CHECK(b.free_blocks[4] == 1 && b.free_units == 16);
    return consistent();
}

static int test_unaligned_range(void) {
    fresh(64, 10);
    CHECK(buddy_add_range(&b, 3 * UNIT, 37 * UNIT + 5) == 0);  // the end rounds down
    // 3 | 4-7 | 8-15 | 16-31 | 32-35 | 36
    CHECK(b.free_blocks[0] == 2 && b.free_blocks[2] == 2);
    CHECK(b.free_blocks[3] == 1 && b.free_blocks[4] == 1);
    CHECK(b.free_units == 34);
    CHECK(buddy_add_range(&b, 8 * UNIT, 9 * UNIT) == BUDDY_ERR_OVERLAP);
    CHECK(buddy_add_range(&b, 40 * UNIT + 1, 42 * UNIT) == 0);  // the start rounds up
    CHECK(b.free_units == 35);
    return consistent();
}

static int test_errors(void) {
    fresh(64, 10);
    CHECK(buddy_add_range(&b, 0, 1024 * UNIT) == 0);
    uint64_t a, c;
    CHECK(buddy_alloc(&b, 11, &a) == BUDDY_ERR_ORDER);
    CHECK(buddy_alloc(&b, 2, &a) == 0);
    CHECK(buddy_free(&b, a, 1) == BUDDY_ERR_WRONG_ORDER);
    CHECK(buddy_free(&b, a + UNIT, 0) == BUDDY_ERR_NOT_ALLOCATED);
    CHECK(buddy_free(&b, a + 1, 2) == BUDDY_ERR_ALIGN);
    CHECK(buddy_allocated_order(&b, a) == 2);
    CHECK(buddy_free(&b, a, 2) == 0);
    CHECK(buddy_free(&b, a, 2) == BUDDY_ERR_DOUBLE_FREE);
    CHECK(buddy_alloc(&b, 10, &a) == 0);
    CHECK(buddy_alloc(&b, 0, &c) == BUDDY_ERR_NO_MEMORY);
    CHECK(buddy_free(&b, a, 10) == 0);
    return consistent();
}

static int test_out_of_records(void) {
    fresh(4, 20);  // room for four blocks only
    CHECK(buddy_add_range(&b, 0, (1 << 20) * UNIT) == 0);
    uint64_t a;
    CHECK(buddy_alloc(&b, 0, &a) == BUDDY_ERR_NO_RECORDS);  // 20 splits
    CHECK(buddy_alloc(&b, 18, &a) == 0);                    // 2 splits: 3 records
    CHECK(buddy_free(&b, a, 18) == 0);                      // a free never needs a record
    return consistent();
}

static int test_check_finds_corruption(void) {
    fresh(64, 10);
    CHECK(buddy_add_range(&b, 0, 64 * UNIT) == 0);
    uint64_t a;
    CHECK(buddy_alloc(&b, 0, &a) == 0);
    b.free_blocks[3]++;  // a lie the check must notice
    const char *why;
    CHECK(buddy_check(&b, &why) < 0);
    b.free_blocks[3]--;
    return consistent();
}

// --- The random run against the model. -----------------------------------

#define UNITS (1u << 14)      // 64 MiB of 4 KiB units
#define BASE  (1ull << 32)    // above 4 GiB: addresses are opaque
static int32_t owner[UNITS];  // -1 free, else the block's index
static struct {
    uint64_t addr;
    int order;
} live[UNITS];
static int nlive;

static int allocate_one(int order) {
    uint64_t a;
    int err = buddy_alloc(&b, order, &a);
    if (err == BUDDY_ERR_NO_MEMORY)
        return 1;
    CHECK(err == 0);
    CHECK(a >= BASE && a + (UNIT << order) <= BASE + UNITS * UNIT);
    CHECK(((a - BASE) & ((UNIT << order) - 1)) == 0);
    uint64_t first = (a - BASE) / UNIT;
    for (uint64_t u = first; u < first + (1u << order); u++) {
        CHECK(owner[u] == -1);  // no overlap with a live block
        owner[u] = nlive;
    }
    live[nlive].addr = a;
    live[nlive].order = order;
    nlive++;
    return 1;
}

static int free_one(int index) {
    uint64_t first = (live[index].addr - BASE) / UNIT;
    CHECK(buddy_free(&b, live[index].addr, live[index].order) == 0);
    for (uint64_t u = first; u < first + (1u << live[index].order); u++)
        owner[u] = -1;
    nlive--;
    if (index != nlive) {  // move the last one into the gap
        live[index] = live[nlive];
        uint64_t moved = (live[index].addr - BASE) / UNIT;
        for (uint64_t u = moved; u < moved + (1u << live[index].order); u++)
            owner[u] = index;
    }
    return 1;
}

static int test_random_million(void) {
    fresh(UNITS + 64, 14);
    CHECK(buddy_add_range(&b, BASE + 5 * UNIT, BASE + (UNITS - 3) * UNIT) == 0);
    uint64_t start_blocks[BUDDY_MAX_ORDER + 1];
    memcpy(start_blocks, b.free_blocks, sizeof start_blocks);
    for (uint32_t u = 0; u < UNITS; u++)
        owner[u] = -1;
    srand(12345);
    for (long op = 0, n = host_ops(1000000); op < n; op++) {
        int r = rand();
        if (nlive > 0 && (r % 100 < 48 || nlive == UNITS)) {
            CHECK(free_one(r / 100 % nlive));
        } else {
            int order = (r / 100) % 100 < 80 ? 0 : (r / 10000) % 9;
            CHECK(allocate_one(order));
        }
        if (op % 8192 == 0 && nlive > 0) {  // errors change nothing
            int index = r % nlive;
            CHECK(buddy_free(&b, live[index].addr, live[index].order + 1) != 0);
        }
        if (op % 65536 == 0)
            CHECK(consistent());
    }
    while (nlive > 0)
        CHECK(free_one(nlive - 1));
    CHECK(memcmp(start_blocks, b.free_blocks, sizeof start_blocks) == 0);
    CHECK(b.used_units == 0);
    return consistent();
}

int main(void) {
    host_run("buddy: split and coalesce", test_split_and_coalesce);
    host_run("buddy: unaligned range", test_unaligned_range);
    host_run("buddy: errors are detected", test_errors);
    host_run("buddy: out of records", test_out_of_records);
    host_run("buddy: check finds corruption", test_check_finds_corruption);
    host_run("buddy: random operations against a model (1,000,000; a tenth when quick)",
             test_random_million);
    free(metadata);
    return host_summary();
}
