// uaccess_test.c: checked copies against a made-up address space: user
// pages (read-only and writable), a kernel-only page, and holes.
#include "abi.h"
#include "frame.h"
#include "ktest.h"
#include "memlayout.h"
#include "string.h"
#include "uaccess.h"

#define RO 0x400000ul  // user, read-only
#define RW 0x401000ul  // user, writable
#define KO 0x402000ul  // kernel-only (no VM_USER)

static pte_t *root;
static uint64_t frames[3];

static void setup(void) {
    root = paging_new_root();
    ASSERT_TRUE(root != NULL);
    for (int i = 0; i < 3; i++) {
        frames[i] = frame_alloc();
        ASSERT_TRUE(frames[i] != 0);
        memset(phys_to_virt(frames[i]), 'a' + i, PAGE_SIZE);
    }
    ASSERT_EQ(map_region(root, RO, frames[0], PAGE_SIZE, VM_USER), 0);
    ASSERT_EQ(map_region(root, RW, frames[1], PAGE_SIZE, VM_USER | VM_WRITE), 0);
    ASSERT_EQ(map_region(root, KO, frames[2], PAGE_SIZE, VM_WRITE), 0);
}

static void teardown(void) {
    paging_free_root(root);
    for (int i = 0; i < 3; i++)
        frame_free(frames[i]);
}

KTEST(uaccess, good_copies_work) {
    setup();
    char buf[16];
    EXPECT_EQ(copy_from_user(root, buf, RO + 10, 4), 0);
    EXPECT_EQ(buf[0], 'a');
    EXPECT_EQ(copy_from_user(root, buf, RW - 2, 4), 0);  // across two pages
    EXPECT_EQ(buf[1], 'a');
    EXPECT_EQ(buf[2], 'b');
    EXPECT_EQ(copy_to_user(root, RW + 100, "xyz", 3), 0);
    EXPECT_EQ(((char *)phys_to_virt(frames[1]))[101], 'y');
    EXPECT_EQ(copy_from_user(root, buf, 0, 0), 0);  // nothing to copy
    teardown();
}

KTEST(uaccess, bad_ranges_fault) {
    setup();
    char buf[16];
    EXPECT_EQ(copy_from_user(root, buf, 0, 8), E_FAULT);                     // null
    EXPECT_EQ(copy_from_user(root, buf, KO, 8), E_FAULT);                    // kernel-only
    EXPECT_EQ(copy_from_user(root, buf, 0xFFFFFFFF80100000ul, 8), E_FAULT);  // kernel half
    EXPECT_EQ(copy_from_user(root, buf, USER_TOP - 8, 16), E_FAULT);         // into the hole
    EXPECT_EQ(copy_from_user(root, buf, RO, ~0ul - 4), E_FAULT);             // wraps
    EXPECT_EQ(copy_from_user(root, buf, RW + PAGE_SIZE - 4, 8), E_FAULT);    // runs into KO
    EXPECT_EQ(copy_to_user(root, RO, "x", 1), E_FAULT);                      // read-only
    EXPECT_EQ(((char *)phys_to_virt(frames[0]))[0], 'a');
    EXPECT_EQ(check_user_range(root, RW, PAGE_SIZE, true), 0);
    EXPECT_EQ(check_user_range(root, RW, PAGE_SIZE + 1, true), E_FAULT);
    teardown();
}

// check_user_range's `write`: a read-only page is fine to read, not to
// write (a system call that fills a buffer checks with write = true).
KTEST(uaccess, check_honours_write) {
    setup();
    EXPECT_EQ(check_user_range(root, RO, 16, false), 0);
    EXPECT_EQ(check_user_range(root, RO, 16, true), E_FAULT);
    EXPECT_EQ(check_user_range(root, RO + PAGE_SIZE - 1, 2, true), E_FAULT);  // RO, then RW
    EXPECT_EQ(check_user_range(root, RW - 1, 2, true), E_FAULT);
    EXPECT_EQ(check_user_range(root, RW, 16, true), 0);
    teardown();
}
