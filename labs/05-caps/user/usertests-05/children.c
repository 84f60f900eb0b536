// children.c: lab 05's usertests as a child program, one kind of end per
// child (usertests05.h). The killing kinds print nothing and return 99 if
// they live; usertests reads how they ended with proc_status.
#include "usertests05.h"

#define PAGE 4096ul

static int foreign(int ncaps, const uint64_t *words) {
    // words[0]: how many of the parent's handles follow.
    for (uint64_t i = 0; i < words[0]; i++) {
        uint64_t h = words[1 + i];
        if ((h >> 16) < (uint64_t)ncaps)
            continue;  // a slot this child holds too: the value may name its own
        struct cap_info info;
        if (cap_type(h) != E_BADHANDLE || cap_inspect(h, &info) != E_BADHANDLE ||
            cap_drop(h) != E_BADHANDLE || cap_revoke(h) != E_BADHANDLE)
            return 1 + (int)i;
    }
    return 0;
}

// Spawn itself with the same region, deeper and deeper: how many levels
// there were below this one before spawn said E_LIMIT.
static long nest(const uint64_t *caps) {
    long child = spawn_child(CHILD_NEST, 0, 0, 0, 0);
    (void)caps;
    if (child == E_LIMIT)
        return 0;
    struct proc_status st;
    if (child < 0 || proc_status((uint64_t)child, &st) != 0 || st.state != PROC_EXITED)
        return 100;
    return st.code + 1;
}

static volatile uint8_t *new_page(unsigned rights) {
    long r = region_new(PAGE, rights);
    struct cap_info info;
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0)
        return 0;
    return (volatile uint8_t *)info.base;
}

// Deep enough to pass the guard page below the 60 KiB stack (the limit
// is never reached: it only keeps the compiler from calling it endless).
static volatile unsigned long max_depth = ~0ul;
static __attribute__((noinline)) int recurse(unsigned long depth) {
    volatile char frame[512];
    frame[depth % sizeof frame] = (char)depth;
    if (depth == max_depth)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static long kill_me(enum child_kind kind) {
    volatile uint8_t *p;
    long r, d;
    struct cap_info info;
    switch (kind) {
    case CHILD_KREAD: return *(volatile long *)0xffffffff80100000ul;
    case CHILD_KWRITE: *(volatile long *)0xffff800000100000ul = 1; break;
    case CHILD_NULLREAD: return *(volatile long *)0;
    case CHILD_RO_WRITE:
        p = new_page(CAP_READ);
        if (p)
            *p = 1;
        break;
    case CHILD_NOEXEC_JUMP:
        p = new_page(CAP_READ | CAP_WRITE);
        if (p) {
            *p = 0xc3;  // ret: it would come back if it ran
            ((void (*)(void))p)();
        }
        break;
    case CHILD_DROP_TOUCH:
        r = region_new(PAGE, CAP_READ | CAP_WRITE);
        if (r > 0 && cap_inspect((uint64_t)r, &info) == 0) {
            *(volatile long *)info.base = 1;  // fine while held
            cap_drop((uint64_t)r);
            *(volatile long *)info.base = 2;
        }
        break;
    case CHILD_RIGHTS_LEFT:
        // A writable root and a read-only capability derived from it; the
        // root dropped, the page stays mapped, read-only.
        r = region_new(PAGE, CAP_READ | CAP_WRITE);
        d = r > 0 ? cap_derive((uint64_t)r, CAP_READ, 0, 0) : -1;
        if (d > 0 && cap_inspect((uint64_t)d, &info) == 0) {
            *(volatile long *)info.base = 1;  // fine while the root is held
            cap_drop((uint64_t)r);
            if (*(volatile long *)info.base == 1)  // still readable
                *(volatile long *)info.base = 2;
        }
        break;
    case CHILD_TEXT_WRITE: *(volatile uint8_t *)(void *)child_main = 0x90; break;
    case CHILD_UD2: __asm__ volatile("ud2"); break;
    case CHILD_DIVZERO: {
        unsigned long zero = 0, high = 0, low = 1;  // in asm: no compiler tricks
        __asm__ volatile("divq %2" : "+a"(low), "+d"(high) : "r"(zero));
        return (long)low;
    }
    case CHILD_OUTPORT: __asm__ volatile("outb %%al, $0x80" ::"a"(0)); break;
    case CHILD_STACK: return recurse(0);
    default: break;
    }
    return 99;
}

long child_main(enum child_kind kind, int ncaps, const uint64_t *caps, uint64_t *words) {
    switch (kind) {
    case CHILD_EXIT: return CHILD_CODE;
    case CHILD_FOREIGN: return foreign(ncaps, words);
    case CHILD_NEST: return nest(caps);
    default: return kill_me(kind);
    }
}
