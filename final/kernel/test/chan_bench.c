// chan_bench.c: what channels cost, in guest instructions.
//
// region_move_4k, _64k, _1m, _64m: the kernel's part of moving a region
//     capability from one program's table to another's: copy it into the
//     receiver's table (its pages mapped in the receiver's view) and
//     replace the sender's (its pages unmapped from the sender's view, the
//     TLB flushed), as chan_send and chan_recv do between them. Two
//     programs loaded but never run hold the tables; the region goes back
//     and forth, and the figure is one move, averaged over 100 for every
//     size (the first move into a view may make the tables above the
//     entry that links the region; the steady cost is what is compared).
// ipc_call_reply: from user mode, a call and its reply with an empty
//     message between two programs (user/ipcbench and user/ipcecho): two
//     chan_calls (each sends, waits and ends its continuation) and two
//     continuations started with the message received for them.
#include "bench.h"
#include "cap.h"
#include "proc.h"
#include "region.h"
#include "x86.h"

static struct proc *load(void) {
    uint64_t size;
    const uint8_t *file = find_program("hello", &size);
    return file ? proc_load("hello", file, size) : NULL;
}

// One move of a region of `len` bytes, averaged over `rounds` moves.
static uint64_t move_cost(uint64_t len, int rounds) {
    struct proc *a = load(), *b = load();
    uint64_t per = 0;
    int64_t h = a && b ? region_new(&a->caps, len, CAP_READ | CAP_WRITE) : -1;
    if (h > 0) {
        struct cap *c;
        cap_lookup(&a->caps, (uint64_t)h, 0, 0, &c);
        struct proc *from = a, *to = b;
        uint64_t start = rdtsc();
        for (int i = 0; i < rounds; i++) {
            struct cap *copy;
            int64_t nh = cap_copy_to(c, &to->caps);
            if (nh < 0)
                break;
            cap_lookup(&to->caps, (uint64_t)nh, 0, 0, &copy);
            cap_replace(c, copy);
            c = copy;
            struct proc *t = from;
            from = to;
            to = t;
        }
        per = (rdtsc() - start) / (uint64_t)rounds;
    }
    if (a)
        proc_free(a);
    if (b)
        proc_free(b);
    return per;
}

BENCH(region_move_4k, "instructions") { return move_cost(4096, 100); }
BENCH(region_move_64k, "instructions") { return move_cost(64 << 10, 100); }
BENCH(region_move_1m, "instructions") { return move_cost(1 << 20, 100); }
BENCH(region_move_64m, "instructions") { return move_cost(64ul << 20, 100); }

BENCH(ipc_call_reply, "instructions") {
    int64_t n = run_program("ipcbench");
    return n < 0 ? 0 : (uint64_t)n;
}
