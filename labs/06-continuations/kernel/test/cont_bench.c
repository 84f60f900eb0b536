// cont_bench.c: what continuations cost, in guest instructions (and bytes).
//
// cont_spawn_dispatch: the kernel's side of a null continuation: take a
//     record, queue it on its program, pick it as the next to run, free it
//     (a stand-in program, so no user mode); cont_round_trip adds the
//     rest from user mode: two system calls and the entry.
// cont_bytes_waiting: kernel memory per continuation waiting on a timer:
//     the pool's pages and the heap's array, for 10,000 waiters.
// timer_event_latency: from the timer's tick hook to the first
//     instruction of the continuation the tick woke.
// kstack_highwater_1 / _1000: the one kernel stack's deepest use, in
//     bytes, while 1 and 1,000 programs wait and end.
#include "bench.h"
#include "cont.h"
#include "heap.h"
#include "proc.h"
#include "timer.h"
#include "x86.h"

BENCH(cont_spawn_dispatch, "instructions") {
    struct proc *p = kzalloc(sizeof *p);
    if (!p)
        return 0;
    cli();
    uint64_t per = BENCH_LOOP(1000, {
        struct cont *c = cont_alloc();
        c->proc = p;
        sched_ready(c);
        cont_free(sched_pick());
    });
    sti();
    kfree(p);
    return per;
}

BENCH(cont_round_trip, "instructions") {
    int64_t n = run_program("contbench");
    return n < 0 ? 0 : (uint64_t)n;
}

BENCH(cont_bytes_waiting, "bytes") {
    enum { N = 10000 };
    struct proc *p = kzalloc(sizeof *p);
    if (!p)
        return 0;
    cli();
    uint64_t pages = cont_pool_pages(), deadline = timer_ticks() + 1000000;
    for (int i = 0; i < N; i++) {
        struct cont *c = cont_alloc();
        c->proc = p;
        event_wait_time(c, deadline + (uint64_t)i);
    }
    uint64_t bytes = (cont_pool_pages() - pages) * 4096 + timer_heap_bytes();
    event_cancel(p);
    sti();
    kfree(p);
    return bytes / N;
}

BENCH(timer_event_latency, "instructions") {
    int64_t woke_at = run_program("latency");
    return woke_at > 0 ? (uint64_t)woke_at - last_tick_tsc : 0;
}

BENCH(kstack_highwater_1, "bytes") { return kstack_depth_running("sleeper", 1); }
BENCH(kstack_highwater_1000, "bytes") { return kstack_depth_running("sleeper", 1000); }
