// rtable_test.c: a region's own page tables change hands in one entry (final/).
#include "cap.h"
#include "frame.h"
#include "heap.h"
#include "ktest.h"
#include "paging.h"
#include "region.h"
#include "rtable.h"

// Ends the test through `out:`, which frees what it made (as view_test.c).
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

// The table root's entry for r links (0: none), read by hand, one level
// above r's own tree: a PD entry for a PT, a PDPT entry for a PD.
static uint64_t linked(pte_t *root, struct region *r) {
    pte_t *table = root;
    for (int level = 3; level > rtable_link_level(r->npages); level--) {
        pte_t e = table[(r->va >> (12 + 9 * level)) & 511];
        if (!(e & PTE_PRESENT))
            return 0;
        table = phys_to_virt(e & PTE_ADDRESS);
    }
    pte_t e = table[(r->va >> (12 + 9 * rtable_link_level(r->npages))) & 511];
    return e & PTE_PRESENT ? e & PTE_ADDRESS : 0;
}

// Move t's capability `h` to table `to`, as chan_send and chan_recv do.
static int64_t move(struct cap_table *t, int64_t h, struct cap_table *to) {
    struct cap *c, *copy;
    if (cap_lookup(t, (uint64_t)h, 0, 0, &c) != 0)
        return -1;
    int64_t nh = cap_copy_to(c, to);
    if (nh < 0 || cap_lookup(to, (uint64_t)nh, 0, 0, &copy) != 0)
        return -1;
    cap_replace(c, copy);
    return nh;
}

// va maps pa with exactly perm (executable too where the CPU has no NX).
static bool maps(pte_t *root, uint64_t va, uint64_t pa, unsigned perm) {
    struct mapping m;
    perm |= cpu_has_nx ? 0 : VM_EXEC;
    return translate(root, va, &m) && m.pa == pa && m.perm == perm;
}

KTEST(rtable, a_4m_region_moves_by_one_entry_and_a_read_only_copy_is_private) {
    cap_trim();
    heap_trim();
    uint64_t frames = frame_free_count(), regions = region_live_count();
    struct cap_table a, b, c;
    cap_table_init(&a, paging_new_root());
    cap_table_init(&b, paging_new_root());
    cap_table_init(&c, paging_new_root());
    REQUIRE(a.view && b.view && c.view);
    int64_t h = region_new(&a, 4ul << 20, CAP_READ | CAP_WRITE);
    REQUIRE(h > 0);
    struct region *r = region_of(&a, h);
    REQUIRE(r && r->npages == 1024 && r->va % (1ul << 30) == 0);  // a 1 GiB slot
    EXPECT_EQ(linked(a.view, r), r->table);
    unsigned rw = VM_USER | VM_WRITE;
    EXPECT_TRUE(maps(a.view, r->va + 1023 * PAGE_SIZE, r->frames[1023], rw));
    // There and back once (the tables above the entry are made), then a
    // move takes no frame at all: it is one entry out, one entry in.
    REQUIRE((h = move(&a, h, &b)) > 0);
    REQUIRE((h = move(&b, h, &a)) > 0);
    uint64_t before = frame_free_count();
    REQUIRE((h = move(&a, h, &b)) > 0);
    EXPECT_EQ(frame_free_count(), before);
    EXPECT_EQ(linked(a.view, r), 0);
    EXPECT_EQ(linked(b.view, r), r->table);
    EXPECT_FALSE(maps(a.view, r->va, r->frames[0], rw));
    EXPECT_TRUE(maps(b.view, r->va, r->frames[0], rw));
    EXPECT_TRUE(maps(b.view, r->va + 1023 * PAGE_SIZE, r->frames[1023], rw));
    // A read-only copy of all of it may not share the writable leaves:
    // translate (and so copy_to_user) reads the leaf alone.
    int64_t ro = cap_derive(&b, (uint64_t)h, CAP_READ | CAP_GRANT, 0, 0);
    REQUIRE(ro > 0);
    REQUIRE(move(&b, ro, &c) > 0);
    EXPECT_NE(linked(c.view, r), 0);
    EXPECT_NE(linked(c.view, r), r->table);
    EXPECT_TRUE(maps(c.view, r->va + 512 * PAGE_SIZE, r->frames[512], VM_USER));
    EXPECT_EQ(linked(b.view, r), r->table);  // b holds one capability again
out:
    cap_table_destroy(&a);
    cap_table_destroy(&b);
    cap_table_destroy(&c);
    paging_free_root(a.view);
    paging_free_root(b.view);
    paging_free_root(c.view);
    cap_trim();
    heap_trim();
    EXPECT_EQ(frame_free_count(), frames);
    EXPECT_EQ(region_live_count(), regions);
}

KTEST(rtable, small_regions_share_no_page_table) {
    cap_trim();
    heap_trim();
    uint64_t frames = frame_free_count();
    struct cap_table a;
    cap_table_init(&a, paging_new_root());
    REQUIRE(a.view);
    int64_t h1 = region_new(&a, PAGE_SIZE, CAP_READ | CAP_WRITE);
    int64_t h2 = region_new(&a, PAGE_SIZE, CAP_READ);
    REQUIRE(h1 > 0 && h2 > 0);
    struct region *r1 = region_of(&a, h1), *r2 = region_of(&a, h2);
    REQUIRE(r1 && r2);
    EXPECT_EQ(r1->va % PAGE_SIZE_2M, 0);
    EXPECT_EQ(r2->va % PAGE_SIZE_2M, 0);
    EXPECT_NE(r1->va, r2->va);
    EXPECT_EQ(linked(a.view, r1), r1->table);
    EXPECT_EQ(linked(a.view, r2), r2->table);
    EXPECT_TRUE(maps(a.view, r1->va, r1->frames[0], VM_USER | VM_WRITE));
    EXPECT_TRUE(maps(a.view, r2->va, r2->frames[0], VM_USER));
    // A second capability over r1 (a part of it) makes the view private;
    // dropping it links r1's own table again.
    int64_t part = cap_derive(&a, (uint64_t)h1, CAP_READ, 0, PAGE_SIZE);
    REQUIRE(part > 0);
    EXPECT_NE(linked(a.view, r1), r1->table);
    EXPECT_TRUE(maps(a.view, r1->va, r1->frames[0], VM_USER | VM_WRITE));  // the union
    EXPECT_EQ(cap_drop(&a, (uint64_t)part), 0);
    EXPECT_EQ(linked(a.view, r1), r1->table);
out:
    cap_table_destroy(&a);
    paging_free_root(a.view);
    cap_trim();
    heap_trim();
    EXPECT_EQ(frame_free_count(), frames);
}
