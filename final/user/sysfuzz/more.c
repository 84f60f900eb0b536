// more.c: final/'s share of sysfuzz's calls (calls.c, lab 06's, asks):
// channels (new, send, receive, wait), region_phys among the calls that
// look, and sysinfo, kill and poweroff now and then.
#include "fuzz.h"

const long fuzz_lowest_error = E_EMPTY;

const long look_calls[] = {SYS_INSPECT, SYS_CAP_TYPE, SYS_REVOKE, SYS_REGION_PHYS, SYS_PROC_STATUS};
const int nlook_calls = sizeof look_calls / sizeof look_calls[0];

const struct wait_call wait_calls[] = {
    {SYS_WAIT_PROC, OBJ_PROCESS}, {SYS_WAIT_MSG, OBJ_CHANNEL}, {SYS_WAIT_INPUT, OBJ_CONSOLE}};
const int nwait_calls = sizeof wait_calls / sizeof wait_calls[0];

static void call_channel_new(void) {
    uint64_t out = out_ptr(16);
    bool readable = out >= fz.scratch_base && out + 16 <= fz.scratch_base + SCRATCH_RW;
    if (fuzz_call(SYS_CHANNEL_NEW, (long)out, 0, 0, 0) != 0)
        return;
    if (!readable)
        return;  // written into a region of the pool, which may be gone now: lost until the end
    const uint64_t *h = (const uint64_t *)out;
    uint64_t a = h[0], b = h[1];
    pool_add(a, OBJ_CHANNEL);
    pool_add(b, OBJ_CHANNEL);
}

static void call_send(void) {
    uint64_t ep = chance(90) ? handle_of(OBJ_CHANNEL) : dead_handle();
    struct msg *m = (struct msg *)(fz.scratch_base + 4096);
    static const uint64_t ncaps[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4};
    uint64_t n = ncaps[below(sizeof ncaps / sizeof ncaps[0])];
    for (int i = 0; i < CHAN_WORDS; i++)
        m->words[i] = rng();
    for (uint64_t i = 0; i < CHAN_MAX_CAPS; i++)
        m->caps[i] = chance(85) ? spendable(any_handle()) : dead_handle();
    m->ncaps = chance(95) ? n : rng();
    // Only this message or an address a correct kernel must refuse: any
    // other bytes might name one of the fixed capabilities.
    uint64_t where = chance(90) ? (uint64_t)m : edge_address();
    long r = fuzz_call(SYS_CHAN_SEND, (long)ep, (long)where, 0, 0);
    if (r == 0 && where == (uint64_t)m)
        for (uint64_t i = 0; i < m->ncaps && i < CHAN_MAX_CAPS; i++)
            pool_forget_handle(m->caps[i]);  // moved: stale here now
}

static void call_recv(void) {
    uint64_t ep = chance(90) ? handle_of(OBJ_CHANNEL) : dead_handle();
    uint64_t out = chance(85) ? fz.scratch_base + 8192 : out_ptr(sizeof(struct msg));
    bool readable =
        out >= fz.scratch_base && out + sizeof(struct msg) <= fz.scratch_base + SCRATCH_RW;
    if (fuzz_call(SYS_CHAN_RECV, (long)ep, (long)out, 0, 0) != 0 || !readable)
        return;
    struct msg m = *(const struct msg *)out;
    for (uint64_t i = 0; i < m.ncaps && i < CHAN_MAX_CAPS; i++)
        if (m.caps[i])
            pool_add(m.caps[i], 0);
}

void fuzz_more(uint64_t r) {
    if (r < 62)
        call_channel_new();
    else if (r < 75)
        call_send();
    else
        call_recv();
}

// sysinfo of every kind, kill, poweroff.
bool fuzz_other_more(void) {
    switch (below(3)) {
    case 0: {
        uint64_t kind = chance(90) ? below(4) : rng();
        uint64_t len = kind == SYSINFO_MEM    ? sizeof(struct sys_mem)
                       : kind == SYSINFO_PROC ? sizeof(struct sys_proc)
                                              : below(200);
        if (chance(20))
            len = length();
        uint64_t size = kind == SYSINFO_CAPS ? len * sizeof(struct sys_cap) : len;
        fuzz_call(SYS_SYSINFO, (long)kind, (long)below(80), (long)out_ptr(size), (long)len);
        break;
    }
    case 1: {
        uint64_t h = chance(90) ? handle_of(OBJ_PROCESS) : dead_handle();
        if (h == 0 || is_stale(h))
            call_expecting_badhandle(SYS_KILL, (long)h, 0, 0, 0);
        else
            pruning(h, fuzz_call(SYS_KILL, (long)h, 0, 0, 0));
        break;
    }
    default: {  // never holds the power object: must fail
        long r = fuzz_call(SYS_POWEROFF, (long)any_handle(), (long)rng(), 0, 0);
        if (r >= 0)
            anomaly("poweroff without the power object", SYS_POWEROFF, r, 0, 0, 0, 0);
        break;
    }
    }
    return true;
}
