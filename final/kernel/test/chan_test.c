// chan_test.c: channels from the kernel side: tables made here (and two
// programs loaded but never run, for the views), no system call.
#include "cap.h"
#include "channel.h"
#include "console.h"
#include "heap.h"
#include "ktest.h"
#include "paging.h"
#include "proc.h"
#include "region.h"

// What must be back where it was after each test.
struct counts {
    uint64_t regions, caps, channels;
};
static struct counts counts_now(void) {
    return (struct counts){region_live_count(), cap_live_count(), channel_live_count()};
}
#define EXPECT_NOTHING_LOST(before) \
    do { \
        struct counts after_ = counts_now(); \
        EXPECT_EQ(after_.regions, (before).regions); \
        EXPECT_EQ(after_.caps, (before).caps); \
        EXPECT_EQ(after_.channels, (before).channels); \
    } while (0)

static bool holds(struct cap_table *t, int64_t h) {
    struct cap *c;
    return cap_lookup(t, (uint64_t)h, 0, 0, &c) == 0;
}

KTEST(chan, words_arrive_in_order_and_an_empty_queue_is_empty) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t e[2];
    ASSERT_EQ(channel_create(&t, e), 0);
    for (uint64_t i = 1; i <= 3; i++) {
        struct msg m = {.words = {i, 2 * i}};
        EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &m), 0);
    }
    struct msg got;
    for (uint64_t i = 1; i <= 3; i++) {
        EXPECT_EQ(chan_recv(&t, (uint64_t)e[1], &got), 0);
        EXPECT_EQ(got.words[0], i);
        EXPECT_EQ(got.words[1], 2 * i);
    }
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[1], &got), E_EMPTY);
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[0], &got), E_EMPTY);  // each end has its own queue
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

KTEST(chan, a_bad_capability_moves_nothing) {
    struct counts before = counts_now();
    struct cap_table a, b;
    cap_table_init(&a, NULL);
    cap_table_init(&b, NULL);
    int64_t e[2];
    ASSERT_EQ(channel_create(&a, e), 0);
    int64_t con = cap_create(&a, &console_object, CAP_ALL, 0, 0);
    int64_t nogrant = cap_derive(&a, (uint64_t)con, CAP_WRITE, 0, 0);
    struct msg m = {.ncaps = 2, .caps = {(uint64_t)con, (uint64_t)nogrant}}, got;
    EXPECT_EQ(chan_send(&a, (uint64_t)e[0], &m), E_RIGHTS);
    EXPECT_TRUE(holds(&a, con) && holds(&a, nogrant));
    int64_t gone = cap_derive(&a, (uint64_t)con, CAP_ALL, 0, 0);
    cap_drop(&a, (uint64_t)gone);
    m.caps[1] = (uint64_t)gone;
    EXPECT_EQ(chan_send(&a, (uint64_t)e[0], &m), E_BADHANDLE);
    EXPECT_TRUE(holds(&a, con));
    EXPECT_EQ(chan_recv(&a, (uint64_t)e[1], &got), E_EMPTY);
    m.ncaps = 1;
    EXPECT_EQ(chan_send(&a, (uint64_t)e[0], &m), 0);
    EXPECT_FALSE(holds(&a, con));
    cap_table_destroy(&a);  // closes both ends: the queued console goes too
    cap_table_destroy(&b);
    EXPECT_NOTHING_LOST(before);
}

KTEST(chan, a_full_queue_and_a_full_table_are_e_full) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t e[2];
    ASSERT_EQ(channel_create(&t, e), 0);
    struct msg w = {.words = {1}}, got;
    for (int i = 0; i < CHAN_QUEUE; i++)
        EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &w), 0);
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &w), E_FULL);
    while (chan_recv(&t, (uint64_t)e[1], &got) == 0)
        ;
    int64_t con = cap_create(&t, &console_object, CAP_ALL, 0, 0);
    struct msg m = {.ncaps = 1, .caps = {(uint64_t)con}};
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &m), 0);
    int64_t last = 0;
    while (cap_create(&t, &console_object, CAP_READ, 0, 0) > 0)
        ;
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[1], &got), E_FULL);  // the message stays
    for (uint32_t i = 0; i < t.nslots && !last; i++)         // free one slot
        if (t.entries[i].cap && t.entries[i].cap->rights == CAP_READ)
            last = (int64_t)cap_handle(t.entries[i].cap);
    cap_drop(&t, (uint64_t)last);
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[1], &got), 0);
    EXPECT_EQ(got.ncaps, 1u);
    EXPECT_TRUE(holds(&t, (int64_t)got.caps[0]));
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

KTEST(chan, closing_an_end_drops_its_queue_and_the_last_frees_the_channel) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t e[2];
    ASSERT_EQ(channel_create(&t, e), 0);
    EXPECT_EQ(channel_live_count(), before.channels + 1);
    int64_t r = region_new(&t, 4096, CAP_READ | CAP_WRITE);
    struct msg m = {.ncaps = 1, .caps = {(uint64_t)r}}, got;
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &m), 0);
    EXPECT_EQ(cap_drop(&t, (uint64_t)e[1]), 0);  // the region queued there goes
    EXPECT_EQ(region_live_count(), before.regions);
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &m), E_BADHANDLE);  // r moved away
    struct msg w = {0};
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &w), E_CLOSED);
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[0], &got), E_CLOSED);
    cap_drop(&t, (uint64_t)e[0]);
    EXPECT_NOTHING_LOST(before);
    cap_table_destroy(&t);
}

KTEST(chan, a_region_revoked_in_a_queue_arrives_as_0) {
    struct counts before = counts_now();
    struct cap_table t;
    cap_table_init(&t, NULL);
    int64_t e[2];
    ASSERT_EQ(channel_create(&t, e), 0);
    int64_t r = region_new(&t, 4096, CAP_READ | CAP_WRITE);
    int64_t child = cap_derive(&t, (uint64_t)r, CAP_READ | CAP_GRANT, 0, 4096);
    struct msg m = {.ncaps = 1, .caps = {(uint64_t)child}}, got;
    EXPECT_EQ(chan_send(&t, (uint64_t)e[0], &m), 0);
    EXPECT_EQ(cap_revoke(&t, (uint64_t)r), 0);
    EXPECT_EQ(chan_recv(&t, (uint64_t)e[1], &got), 0);
    EXPECT_EQ(got.ncaps, 1u);
    EXPECT_EQ(got.caps[0], 0u);
    cap_table_destroy(&t);
    EXPECT_NOTHING_LOST(before);
}

static struct proc *load(void) {
    uint64_t size;
    const uint8_t *file = find_program("hello", &size);
    return file ? proc_load("hello", file, size) : NULL;
}

KTEST(chan, a_moved_region_leaves_one_view_for_the_other_on_the_same_frames) {
    struct counts before = counts_now();
    struct proc *a = load(), *b = load();
    EXPECT_TRUE(a && b);
    if (!a || !b)
        return;
    int64_t e[2];
    ASSERT_EQ(channel_create(&a->caps, e), 0);
    struct cap *end;
    cap_lookup(&a->caps, (uint64_t)e[1], 0, 0, &end);
    int64_t bend = cap_copy_to(end, &b->caps);  // b holds the receiving end too
    EXPECT_TRUE(bend > 0);
    int64_t r = region_new(&a->caps, 8192, CAP_READ | CAP_WRITE);
    struct cap *c;
    cap_lookup(&a->caps, (uint64_t)r, 0, 0, &c);
    uint64_t va = ((struct region *)c->obj)->va;
    struct mapping ma, mb;
    EXPECT_TRUE(translate(a->root, va, &ma));
    EXPECT_FALSE(translate(b->root, va, &mb));
    struct msg m = {.ncaps = 1, .caps = {(uint64_t)r}}, got;
    EXPECT_EQ(chan_send(&a->caps, (uint64_t)e[0], &m), 0);
    EXPECT_FALSE(translate(a->root, va, &mb));  // gone from the sender at once
    EXPECT_FALSE(translate(a->root, va + 4096, &mb));
    EXPECT_FALSE(translate(b->root, va, &mb));  // and not yet in the receiver
    EXPECT_EQ(chan_recv(&b->caps, (uint64_t)bend, &got), 0);
    EXPECT_TRUE(translate(b->root, va, &mb));
    EXPECT_EQ(mb.pa, ma.pa);  // the same frame: nothing copied
    EXPECT_TRUE(translate(b->root, va + 4096, &mb));
    EXPECT_TRUE(mb.perm & VM_WRITE);
    proc_free(a);
    proc_free(b);
    EXPECT_NOTHING_LOST(before);
}
