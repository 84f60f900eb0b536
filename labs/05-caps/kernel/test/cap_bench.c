// cap_bench.c: what capabilities cost, in guest instructions.
//
// cap_syscall is measured from user mode (capbench, its exit code) and is
// to be compared with null_syscall. The revoke figures use console
// capabilities in a table with no view, so they count the tree walk and
// the slots, not page-table work; region_map_1m counts that, per page.
#include "bench.h"
#include "cap.h"
#include "console.h"
#include "paging.h"
#include "proc.h"
#include "region.h"

BENCH(cap_syscall, "instructions") {
    int64_t n = run_program("capbench");
    return n < 0 ? 0 : (uint64_t)n;
}

BENCH(cap_derive_drop, "instructions") {
    struct cap_table t;
    cap_table_init(&t, NULL);
    uint64_t root = (uint64_t)cap_create(&t, &console_object, CAP_ALL, 0, 0);
    uint64_t per = BENCH_LOOP(1000, cap_drop(&t, (uint64_t)cap_derive(&t, root, CAP_WRITE, 0, 0)));
    cap_table_destroy(&t);
    return per;
}

// A root and n descendants (a tree of fan-out 4), then one revoke.
static uint64_t revoke_cost(int n) {
    static uint64_t h[1025];
    struct cap_table t;
    cap_table_init(&t, NULL);
    h[0] = (uint64_t)cap_create(&t, &console_object, CAP_ALL, 0, 0);
    for (int i = 1; i <= n; i++)
        h[i] = (uint64_t)cap_derive(&t, h[(i - 1) / 4], CAP_ALL, 0, 0);
    uint64_t start = rdtsc();
    cap_revoke(&t, h[0]);
    uint64_t cost = rdtsc() - start;
    cap_table_destroy(&t);
    return cost;
}

BENCH(cap_revoke_1, "instructions") { return revoke_cost(1); }
BENCH(cap_revoke_64, "instructions") { return revoke_cost(64); }
BENCH(cap_revoke_1024, "instructions") { return revoke_cost(1024); }

BENCH(region_new_drop_4k, "instructions") {
    struct cap_table t;
    cap_table_init(&t, paging_new_root());
    uint64_t per =
        BENCH_LOOP(100, cap_drop(&t, (uint64_t)region_new(&t, 4096, CAP_READ | CAP_WRITE)));
    cap_table_destroy(&t);
    paging_free_root(t.view);
    return per;
}

// Making a 1 MiB region mapped in a view (frames zeroed, 256 pages
// mapped), and dropping it, per page.
BENCH(region_map_1m, "instructions") {
    struct cap_table t;
    cap_table_init(&t, paging_new_root());
    cap_drop(&t, (uint64_t)region_new(&t, 1 << 20, CAP_READ | CAP_WRITE));  // page tables made once
    uint64_t per =
        BENCH_LOOP(10, cap_drop(&t, (uint64_t)region_new(&t, 1 << 20, CAP_READ | CAP_WRITE)));
    cap_table_destroy(&t);
    paging_free_root(t.view);
    return per / 256;
}
