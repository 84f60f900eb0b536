// memory.c: regions zeroed and rounded (region_phys), a gigabyte region
// with the counts checked, and running out of memory in every call that
// allocates, channels too. Lab 06's calls.c (linked here) has the bad
// lengths, rights and ranges and the continuation limit.
#include "usertests.h"

long t_region_zeroed_and_rounded(void) {
    long r = region_new(1, CAP_READ | CAP_WRITE);
    struct cap_info info;
    EXPECT(cap_inspect((uint64_t)r, &info), 0);
    EXPECT(info.length, 4096);
    EXPECT(info.base & 0xfff, 0);
    long big = region_new(4097, CAP_READ | CAP_WRITE);
    EXPECT(cap_inspect((uint64_t)big, &info), 0);
    EXPECT(info.length, 8192);
    for (uint64_t *p = (uint64_t *)info.base; p < (uint64_t *)(info.base + 8192); p++)
        EXPECT(*p, 0);
    ((volatile char *)info.base)[8191] = 1;  // all of it writable
    EXPECT(region_phys((uint64_t)big) & 0xfff, 0);
    return 0;
}

// region_new of a gigabyte: all of it, or E_NOMEM with nothing kept.
long t_region_huge(void) {
    struct sys_mem m = mem_now();
    long r = region_new(1ul << 30, CAP_READ | CAP_WRITE);
    if (r > 0)  // (a machine with memory to spare)
        EXPECT(cap_drop((uint64_t)r), 0);
    else
        EXPECT(r, E_NOMEM);
    struct sys_mem after = mem_now();
    EXPECT(after.regions, m.regions);
    if (r < 0)
        EXPECT(after.free_frames, m.free_frames);
    return 0;
}

// --- Running out of memory. ---------------------------------------------------------

#define HOGS 8192
static uint64_t hogs[HOGS];
static int nhogs;

// Allocate regions of `size` bytes, a few a continuation (each zeroes its
// frames: the time budget), until E_NOMEM; then smaller ones.
static long exhausted(long arg, long value);
static long hog(long size, long value) {
    for (int i = 0; i < 4 && nhogs < HOGS; i++) {
        long h = region_new((uint64_t)size, CAP_READ | CAP_WRITE);
        if (h == E_NOMEM)
            return size == 4096 ? cont_queue(exhausted, 0)
                                : cont_queue(hog, size > 65536 ? 65536 : 4096);
        EXPECT_TRUE(h > 0);
        hogs[nhogs++] = (uint64_t)h;
    }
    EXPECT_TRUE(nhogs < HOGS);
    return cont_queue(hog, size);
}

static bool ok_or_nomem(long result) { return result >= 0 || result == E_NOMEM; }

static long recovered(long arg, long state);
static long unhog(long arg, long value);
static uint64_t after_child;

// Nothing left: every call that allocates fails with E_NOMEM (or, where
// the kernel had a record to spare, works); nothing panics; then it all
// comes back.
static long exhausted(long arg, long value) {
    uint64_t e[2];
    EXPECT(region_new(4096, CAP_READ), E_NOMEM);
    EXPECT(region_new(1ul << 30, CAP_READ), E_NOMEM);
    EXPECT(spawn_role(ROLE_EXIT, 0, 0, NULL, 0), E_NOMEM);
    struct spawn_cap give[1] = {{console, 0}};
    EXPECT(spawn("hello", give, 1), E_NOMEM);
    long c;
    while ((c = channel_new(e)) == 0)  // the heap's last free objects, if any
        ;
    EXPECT(c, E_NOMEM);
    long d;
    while ((d = cap_derive(console, CAP_WRITE, 0, 0)) > 0)
        ;
    EXPECT_TRUE(d == E_NOMEM || d == E_FULL);
    EXPECT(cap_revoke(console), 0);  // the copies go
    EXPECT_TRUE(ok_or_nomem(cont_queue(noop, 0)));
    EXPECT_TRUE(ok_or_nomem(cont_wait_time(1, noop, 0)));
    printf("usertests: case %d: memory ran out after %d regions\n", case_number, nhogs);
    return cont_queue(unhog, 0);
}

// Give them back, a few a continuation.
static long unhog(long arg, long value) {
    for (int i = 0; i < 4 && nhogs > 0; i++)
        EXPECT(cap_drop(hogs[--nhogs]), 0);
    if (nhogs > 0)
        return cont_queue(unhog, 0);
    long r = region_new(1ul << 20, CAP_READ | CAP_WRITE);  // it all came back
    EXPECT_TRUE(r > 0);
    long h = spawn_role(ROLE_EXIT, 7, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    after_child = (uint64_t)h;
    return cont_wait_proc(after_child, recovered, 0);
}

static long recovered(long arg, long state) {
    struct proc_status st;
    EXPECT(proc_status(after_child, &st), 0);
    EXPECT(st.code, 7);
    exit(0);  // (the console copies made above stay until the end)
}

long t_out_of_memory(void) { return hog(4 << 20, 0); }
