// view_test.c: page-table views follow the capabilities their holder has.
#include "cap.h"
#include "frame.h"
#include "heap.h"
#include "ktest.h"
#include "memlayout.h"
#include "paging.h"
#include "region.h"

// A check that ends the test at once when it fails, as ASSERT does, but
// through the test's `out:` label, which frees what the test made: a
// failing test must not leave memory behind for the suites after it.
#define REQUIRE(cond) \
    do { \
        if (!(cond)) { \
            ktest_fail(__FILE__, __LINE__, "%s is false", #cond); \
            goto out; \
        } \
    } while (0)

static struct region *region_of(struct cap_table *t, int64_t h) {
    struct cap *c;
    return cap_lookup(t, (uint64_t)h, OBJ_REGION, 0, &c) == 0 ? (struct region *)c->obj : NULL;
}

// 1: mapped read-only; 3: writable; 0: not mapped (perm bits checked too).
static int state(pte_t *root, uint64_t va) {
    struct mapping m;
    if (!translate(root, va, &m))
        return 0;
    if (!(m.perm & VM_USER))
        return -1;
    return (m.perm & VM_WRITE) ? 3 : 1;
}

KTEST(view, derived_read_only_sub_range_maps_read_only) {
    cap_trim();
    heap_trim();
    uint64_t frames = frame_free_count(), caps = cap_live_count(), regions = region_live_count();
    struct cap_table a, b;
    cap_table_init(&a, paging_new_root());
    cap_table_init(&b, paging_new_root());
    REQUIRE(a.view && b.view);
    int64_t r = region_new(&a, 4 * 4096, CAP_READ | CAP_WRITE);
    REQUIRE(r > 0);
    struct region *reg = region_of(&a, r);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(state(a.view, reg->va + i * 4096ul), 3);
    // b gets a read-only copy of pages 1..2, made from a's capability.
    int64_t ro = cap_derive(&a, (uint64_t)r, CAP_READ | CAP_GRANT, 4096, 2 * 4096);
    struct cap *roc;
    REQUIRE(cap_lookup(&a, (uint64_t)ro, 0, 0, &roc) == 0);
    int64_t inb = cap_copy_to(roc, &b);
    REQUIRE(inb > 0);
    EXPECT_EQ(state(b.view, reg->va), 0);
    EXPECT_EQ(state(b.view, reg->va + 4096), 1);
    EXPECT_EQ(state(b.view, reg->va + 2 * 4096), 1);
    EXPECT_EQ(state(b.view, reg->va + 3 * 4096), 0);
    EXPECT_EQ(state(a.view, reg->va + 4096), 3);  // the union: a's RW cap still counts
    // A capability without READ maps nothing.
    int64_t wo = cap_derive(&a, (uint64_t)r, CAP_WRITE | CAP_GRANT, 0, 4096);
    struct cap *woc;
    cap_lookup(&a, (uint64_t)wo, 0, 0, &woc);
    EXPECT_TRUE(cap_copy_to(woc, &b) > 0);
    EXPECT_EQ(state(b.view, reg->va), 0);
    // Revoke unmaps in every holder, and leaves the revoker's own mapping.
    EXPECT_EQ(cap_revoke(&a, (uint64_t)r), 0);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(state(b.view, reg->va + i * 4096ul), 0);
        EXPECT_EQ(state(a.view, reg->va + i * 4096ul), 3);
    }
    // Dropping one of two overlapping capabilities keeps the other's rights.
    int64_t ro2 = cap_derive(&a, (uint64_t)r, CAP_READ, 0, 4096);
    EXPECT_EQ(cap_drop(&a, (uint64_t)r), 0);
    EXPECT_EQ(state(a.view, reg->va), 1);
    EXPECT_EQ(state(a.view, reg->va + 4096), 0);
    EXPECT_EQ(cap_drop(&a, (uint64_t)ro2), 0);
    EXPECT_EQ(state(a.view, reg->va), 0);
    EXPECT_EQ(region_live_count(), regions);  // no capability left: the region went
out:
    cap_table_destroy(&a);
    cap_table_destroy(&b);
    paging_free_root(a.view);
    paging_free_root(b.view);
    cap_trim();
    heap_trim();
    EXPECT_EQ(frame_free_count(), frames);
    EXPECT_EQ(cap_live_count(), caps);
}

// Out of memory: region_new, derive and table growth fail cleanly.
KTEST(view, out_of_memory_is_an_error_and_loses_nothing) {
    cap_trim();
    heap_trim();
    uint64_t frames = frame_free_count(), caps = cap_live_count(), regions = region_live_count();
    struct cap_table t;
    cap_table_init(&t, paging_new_root());
    int64_t root = region_new(&t, 4096, CAP_READ | CAP_WRITE);
    REQUIRE(root > 0);
    // Take every frame there is.
    uint64_t *taken = NULL;
    uint64_t ntaken = 0, pa;
    while ((pa = frame_alloc()) != 0) {
        *(uint64_t *)phys_to_virt(pa) = (uint64_t)taken;  // a list through the frames
        taken = phys_to_virt(pa);
        ntaken++;
    }
    EXPECT_EQ(region_new(&t, 4096, CAP_READ), E_NOMEM);
    int64_t h;
    int derived = 0;
    while ((h = cap_derive(&t, (uint64_t)root, CAP_READ, 0, 0)) > 0)
        derived++;
    EXPECT_EQ(h, E_NOMEM);  // the heap ran dry first (the table has room)
    EXPECT_EQ(cap_revoke(&t, (uint64_t)root), 0);
    while (taken) {
        uint64_t *next = (uint64_t *)*taken;
        frame_free(virt_to_phys(taken));
        taken = next;
    }
    EXPECT_TRUE(ntaken > 0);
out:
    cap_table_destroy(&t);
    paging_free_root(t.view);
    cap_trim();
    heap_trim();
    EXPECT_EQ(frame_free_count(), frames);
    EXPECT_EQ(cap_live_count(), caps);
    EXPECT_EQ(region_live_count(), regions);
}
