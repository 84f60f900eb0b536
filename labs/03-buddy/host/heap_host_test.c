// heap_host_test.c: kernel/heap.c, built natively under the sanitizers.
//
// Pages come from a buddy-free stand-in over malloc'd, page-aligned memory.
// The random run keeps up to 4096 objects of random sizes, fills each with
// a pattern and checks it on free, so overlapping objects would show.
#include "../kernel/heap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_test.h"

static long pages_out;

// Every test must give back every page once the heap is trimmed.
static void run(const char *name, int (*test)(void)) {
    int ok = test();
    heap_trim();
    if (ok && pages_out != 0) {
        printf("  %ld pages not given back\n", pages_out);
        ok = 0;
    }
    host_record(name, ok);
}

// --- The page source: counts what is out, so leaks show. Freed pages go
// to a pool per order and are reused, never back to malloc: as in the
// kernel, a freed page stays readable (kfree reads headers of stray
// pointers), so AddressSanitizer must not see it as freed memory.
static long page_limit = 1 << 20;
static int reports;
static void *pool[16];  // freed blocks, linked by first word

static void *alloc_pages(int order) {
    if (pages_out + (1l << order) > page_limit)
        return NULL;
    void *p = pool[order];
    if (p)
        pool[order] = *(void **)p;
    else
        p = aligned_alloc(4096 << order, 4096ul << order);
    if (p) {
        memset(p, 0x5A, 4096ul << order);  // garbage, as real pages hold
        pages_out += 1l << order;
    }
    return p;
}

static void free_pages(void *p, int order) {
    pages_out -= 1l << order;
    *(void **)p = pool[order];
    pool[order] = p;
}

static void release_pool(void) {
    for (int order = 0; order < 16; order++)
        while (pool[order]) {
            void *p = pool[order];
            pool[order] = *(void **)p;
            free(p);
        }
}

static void report(const char *why, const void *pointer) {
    (void)why;
    (void)pointer;
    reports++;
}

// No owns() and no live-page bitmap: every page here is readable.
static const struct heap_page_source source = {
    .alloc_pages = alloc_pages, .free_pages = free_pages, .report = report};

static int test_sizes_and_alignment(void) {
    heap_init(&source);
    size_t sizes[] = {1, 15, 16, 17, 100, 2048, 2049, 4096, 100000};
    void *p[9];
    for (int i = 0; i < 9; i++) {
        p[i] = kmalloc(sizes[i]);
        CHECK(p[i] != NULL);
        CHECK(((uintptr_t)p[i] & 15) == 0);
        memset(p[i], i, sizes[i]);
    }
    for (int i = 0; i < 9; i++)
        CHECK(kfree(p[i]) == 0);
    struct heap_stats s;
    heap_get_stats(&s);
    CHECK(s.large_blocks == 0);
    for (int c = 0; c < HEAP_CLASSES; c++)
        CHECK(s.objects[c] == 0);
    return 1;
}

static int test_kzalloc_zeroes(void) {
    heap_init(&source);
    unsigned char *p = kmalloc(64);
    CHECK(p != NULL);
    memset(p, 0xFF, 64);
    CHECK(kfree(p) == 0);
    unsigned char *q = kzalloc(64);
    CHECK(q != NULL);
    for (int i = 0; i < 64; i++)
        CHECK(q[i] == 0);
    return kfree(q) == 0;
}

static int test_bad_frees_are_refused(void) {
    heap_init(&source);
    reports = 0;
    char *p = kmalloc(64), *big = kmalloc(10000);
    CHECK(p != NULL && big != NULL);
    CHECK(kfree(p + 16) == HEAP_ERR_FOREIGN);  // inside a neighbour slot? no: 64-byte slots
    CHECK(kfree(p + 8) == HEAP_ERR_FOREIGN);   // not 16-aligned
    CHECK(kfree(p) == 0);
    CHECK(kfree(p) == HEAP_ERR_DOUBLE_FREE);
    CHECK(kfree(big) == 0);
    CHECK(kfree(big + 64) == HEAP_ERR_FOREIGN);
    static char not_heap[4096] __attribute__((aligned(4096)));
    CHECK(kfree(not_heap + 64) == HEAP_ERR_FOREIGN);
    CHECK(reports == 5);
    struct heap_stats s;
    heap_get_stats(&s);
    CHECK(s.refused_frees == 5);
    return 1;
}

static int test_out_of_memory_is_null(void) {
    heap_init(&source);
    page_limit = pages_out + 2;
    CHECK(kmalloc(5 * 4096) == NULL);  // needs 8 pages
    void *objects[600];
    int n = 0;
    while (n < 600 && (objects[n] = kmalloc(16)) != NULL)
        n++;
    CHECK(n > 0 && n < 600);  // two slabs' worth
    while (n > 0)
        CHECK(kfree(objects[--n]) == 0);
    page_limit = 1 << 20;
    return 1;
}

#define LIVE 4096
static struct {
    unsigned char *p;
    size_t size;
    unsigned char fill;
} live[LIVE];

static int test_random_million(void) {
    heap_init(&source);
    long pages_before = pages_out;
    int nlive = 0;
    srand(777);
    for (long op = 0, n = host_ops(1000000); op < n; op++) {
        int r = rand();
        if (nlive == LIVE || (nlive > 0 && r % 2)) {
            int i = (r / 2) % nlive;
            for (size_t k = 0; k < live[i].size; k++)
                CHECK(live[i].p[k] == live[i].fill);  // nobody wrote over it
            CHECK(kfree(live[i].p) == 0);
            live[i] = live[--nlive];
        } else {
            size_t size = (r / 2) % 100 < 95 ? 1 + (r / 200) % 2048 : 2049 + (r / 200) % 20000;
            unsigned char *p = kmalloc(size);
            CHECK(p != NULL);
            live[nlive].p = p;
            live[nlive].size = size;
            live[nlive].fill = (unsigned char)op;
            memset(p, live[nlive].fill, size);
            nlive++;
        }
    }
    while (nlive > 0)
        CHECK(kfree(live[--nlive].p) == 0);
    struct heap_stats s;
    heap_get_stats(&s);
    for (int c = 0; c < HEAP_CLASSES; c++)
        CHECK(s.objects[c] == 0 && s.slabs[c] <= 1);  // one cached slab a class
    CHECK(s.large_blocks == 0 && s.refused_frees == 0);
    CHECK(pages_out - pages_before <= HEAP_CLASSES);
    heap_trim();
    CHECK(pages_out == pages_before);
    return 1;
}

int main(void) {
    run("heap: sizes and alignment", test_sizes_and_alignment);
    run("heap: kzalloc zeroes", test_kzalloc_zeroes);
    run("heap: double free and foreign pointers are refused", test_bad_frees_are_refused);
    run("heap: out of memory is NULL", test_out_of_memory_is_null);
    run("heap: random operations, no overlap, no leak (1,000,000; a tenth when quick)",
        test_random_million);
    release_pool();
    return host_summary();
}
