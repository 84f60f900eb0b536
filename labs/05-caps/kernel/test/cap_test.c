// cap_test.c: the capability table, derivation tree and views, from the
// kernel side: tables made here, no program running.
#include "cap.h"
#include "console.h"
#include "frame.h"
#include "heap.h"
#include "ktest.h"
#include "paging.h"
#include "region.h"
#include "vregion.h"

// What must be back where it was after each test.
struct counts {
    uint64_t frames, regions, caps;
};
static struct counts counts_now(void) {
    cap_trim();  // spare capability records are not a leak
    heap_trim();
    return (struct counts){frame_free_count(), region_live_count(), cap_live_count()};
}
#define EXPECT_NOTHING_LOST(before) \
    do { \
        struct counts after_ = counts_now(); \
        EXPECT_EQ(after_.frames, (before).frames); \
        EXPECT_EQ(after_.regions, (before).regions); \
        EXPECT_EQ(after_.caps, (before).caps); \
    } while (0)

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

static uint64_t rng = 88172645463325252ul;
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

KTEST(cap, forged_handles_are_refused) {
    struct counts before = counts_now();
    struct cap_table t, other;
    cap_table_init(&t, NULL);
    cap_table_init(&other, NULL);
    int64_t h = cap_create(&t, &console_object, CAP_ALL, 0, 0);
    REQUIRE(h > 0);
    struct cap *c;
    EXPECT_EQ(cap_lookup(&t, 0, 0, 0, &c), E_BADHANDLE);
    int wrong = 0;
    for (uint64_t slot = 0; slot < CAP_MAX_SLOTS; slot++)
        for (uint64_t gen = 0; gen < 0x10000; gen += 0x1111)
            if ((slot << 16 | gen) != (uint64_t)h &&
                cap_lookup(&t, slot << 16 | gen, 0, 0, &c) != E_BADHANDLE)
                wrong++;
    EXPECT_EQ(wrong, 0);
    for (int i = 0; i < 10000; i++) {
        uint64_t r = next_random();
        if (r != (uint64_t)h && cap_lookup(&t, r, 0, 0, &c) != E_BADHANDLE)
            wrong++;
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)h, 0, 0, &c), 0);
    // A handle from another table means nothing there.
    EXPECT_EQ(cap_lookup(&other, (uint64_t)h, 0, 0, &c), E_BADHANDLE);
    // The generation wraps after 65536 reuses of a slot, but never to 0:
    // no handle is ever 0, and 0 never names a capability.
    int zero = 0;
    for (int i = 0; i < 0x10000 + 2; i++) {
        int64_t g = cap_create(&other, &console_object, CAP_ALL, 0, 0);
        REQUIRE(g >= 0);
        zero += g == 0 || cap_lookup(&other, 0, 0, 0, &c) != E_BADHANDLE;
        cap_drop(&other, (uint64_t)g);
    }
    EXPECT_EQ(zero, 0);
out:
    cap_table_destroy(&t);
    cap_table_destroy(&other);
    EXPECT_NOTHING_LOST(before);
}

KTEST(cap, stale_handles_after_drop_revoke_and_reuse) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t root = cap_create(&t, &console_object, CAP_ALL, 0, 0);
    int64_t d = cap_derive(&t, (uint64_t)root, CAP_WRITE, 0, 0);
    REQUIRE(d > 0);
    EXPECT_EQ(cap_drop(&t, (uint64_t)d), 0);
    struct cap *c;
    EXPECT_EQ(cap_lookup(&t, (uint64_t)d, 0, 0, &c), E_BADHANDLE);
    int64_t reuse = cap_derive(&t, (uint64_t)root, CAP_WRITE, 0, 0);
    EXPECT_EQ(reuse >> 16, d >> 16);  // the same slot,
    EXPECT_NE(reuse, d);              // a new generation
    EXPECT_EQ(cap_lookup(&t, (uint64_t)d, 0, 0, &c), E_BADHANDLE);
    int64_t grandchild = cap_derive(&t, (uint64_t)reuse, CAP_WRITE, 0, 0);
    EXPECT_EQ(cap_revoke(&t, (uint64_t)root), 0);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)reuse, 0, 0, &c), E_BADHANDLE);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)grandchild, 0, 0, &c), E_BADHANDLE);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)root, OBJ_CONSOLE, CAP_ALL, &c), 0);
out:
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

KTEST(cap, wrong_type_and_missing_rights) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t con = cap_create(&t, &console_object, CAP_WRITE, 0, 0);
    int64_t reg = region_new(&t, 8192, CAP_READ);
    REQUIRE(con > 0 && reg > 0);
    struct cap *c;
    EXPECT_EQ(cap_lookup(&t, (uint64_t)reg, OBJ_CONSOLE, CAP_WRITE, &c), E_TYPE);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)con, OBJ_REGION, 0, &c), E_TYPE);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)con, OBJ_PROCESS, 0, &c), E_TYPE);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)con, OBJ_CONSOLE, CAP_READ, &c), E_RIGHTS);
    // Every right asked for, not just one of them.
    EXPECT_EQ(cap_lookup(&t, (uint64_t)con, OBJ_CONSOLE, CAP_READ | CAP_WRITE, &c), E_RIGHTS);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)con, OBJ_CONSOLE, CAP_WRITE, &c), 0);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)reg, OBJ_REGION, CAP_WRITE, &c), E_RIGHTS);
    EXPECT_EQ(cap_derive(&t, (uint64_t)con, CAP_WRITE, 4096, 4096), E_TYPE);
out:
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

KTEST(cap, derive_refusals) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t r = region_new(&t, 4 * 4096, CAP_READ | CAP_WRITE);
    REQUIRE(r > 0);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_EXEC, 0, 4096), E_RIGHTS);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ | 16, 0, 4096), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 1, 4096), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 0, 4095), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 4096, 0), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 4 * 4096, 4096), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 2 * 4096, 3 * 4096), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, 4096, ~0xfffull), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)r, CAP_READ, ~0xfffull, 8192), E_INVAL);
    int64_t sub = cap_derive(&t, (uint64_t)r, CAP_READ, 4096, 2 * 4096);
    REQUIRE(sub > 0);
    // Ranges are relative to the source: inside the sub-range only.
    EXPECT_EQ(cap_derive(&t, (uint64_t)sub, CAP_READ, 2 * 4096, 4096), E_INVAL);
    EXPECT_EQ(cap_derive(&t, (uint64_t)sub, CAP_WRITE, 0, 4096), E_RIGHTS);
    struct cap_info info;
    int64_t subsub = cap_derive(&t, (uint64_t)sub, CAP_READ, 4096, 4096);
    REQUIRE(cap_inspect(&t, (uint64_t)subsub, &info) == 0);
    EXPECT_EQ(info.base, 2 * 4096);  // offset within the region
    EXPECT_EQ(info.length, 4096);
out:
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

KTEST(cap, full_table_then_drop_makes_room) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t root = cap_create(&t, &console_object, CAP_ALL, 0, 0), h, last = 0;
    int made = 1;
    while ((h = cap_derive(&t, (uint64_t)root, CAP_WRITE, 0, 0)) > 0) {
        last = h;
        made++;
    }
    EXPECT_EQ(h, E_FULL);
    EXPECT_EQ(made, CAP_MAX_SLOTS);
    EXPECT_EQ(region_new(&t, 4096, CAP_READ), E_FULL);
    EXPECT_EQ(cap_create(&t, &console_object, CAP_ALL, 0, 0), E_FULL);
    EXPECT_EQ(cap_drop(&t, (uint64_t)last), 0);
    EXPECT_TRUE(cap_derive(&t, (uint64_t)root, CAP_WRITE, 0, 0) > 0);
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

// Drop re-parents: an ancestor's revoke still reaches the grandchild.
KTEST(cap, drop_reparents_children) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t a = cap_create(&t, &console_object, CAP_ALL, 0, 0);
    int64_t b = cap_derive(&t, (uint64_t)a, CAP_ALL, 0, 0);
    int64_t c = cap_derive(&t, (uint64_t)b, CAP_WRITE, 0, 0);
    EXPECT_EQ(cap_drop(&t, (uint64_t)b), 0);
    struct cap *cc, *ca;
    REQUIRE(cap_lookup(&t, (uint64_t)c, 0, 0, &cc) == 0);
    cap_lookup(&t, (uint64_t)a, 0, 0, &ca);
    EXPECT_TRUE(cc->parent == ca);
    EXPECT_EQ(cap_revoke(&t, (uint64_t)a), 0);
    EXPECT_EQ(cap_lookup(&t, (uint64_t)c, 0, 0, &cc), E_BADHANDLE);
out:
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

// A tree of depth 8 and fan-out 3 (3280 capabilities) over three tables:
// level k is held by table k % 3. Revoking the root deletes the 3279
// descendants in every table; the root stays.
static uint64_t handles[3280];
static uint8_t holder_of[3280];
KTEST(cap, revoke_tree_over_three_tables) {
    struct counts before = counts_now();
    static struct cap_table tables[3];
    for (int i = 0; i < 3; i++)
        cap_table_init(&tables[i], NULL);
    int64_t root = region_new(&tables[0], 4096, CAP_READ | CAP_WRITE);
    REQUIRE(root > 0);
    handles[0] = (uint64_t)root;
    int n = 1, level_start = 0, level_end = 1;
    for (int level = 1; level < 8; level++) {
        for (int p = level_start; p < level_end; p++) {
            struct cap *parent;
            REQUIRE(cap_lookup(&tables[holder_of[p]], handles[p], 0, 0, &parent) == 0);
            for (int k = 0; k < 3; k++) {
                int64_t h = cap_copy_to(parent, &tables[level % 3]);
                REQUIRE(h > 0);
                handles[n] = (uint64_t)h;
                holder_of[n++] = (uint8_t)(level % 3);
            }
        }
        level_start = level_end;
        level_end = n;
    }
    EXPECT_EQ(n, 3280);
    EXPECT_EQ(cap_live_count() - before.caps, 3280);
    EXPECT_EQ(cap_revoke(&tables[0], handles[0]), 0);
    int alive = 0;
    struct cap *c;
    for (int i = 1; i < n; i++)
        if (cap_lookup(&tables[holder_of[i]], handles[i], 0, 0, &c) != E_BADHANDLE)
            alive++;
    EXPECT_EQ(alive, 0);
    EXPECT_EQ(cap_lookup(&tables[0], handles[0], OBJ_REGION, CAP_READ | CAP_WRITE, &c), 0);
    EXPECT_EQ(cap_live_count() - before.caps, 1);
out:
    for (int i = 0; i < 3; i++)
        cap_table_destroy(&tables[i]);
    EXPECT_NOTHING_LOST(before);
}
