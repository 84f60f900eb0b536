// channels.c: channels: a full queue, bad messages, a closed peer, a
// cycle of queued ends, regions revoked or dropped while queued, a waiter
// whose own end goes; and the console and power objects' contracts.
#include "usertests.h"

long t_channel_words(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    EXPECT(cap_type(e[0]), (OBJ_CHANNEL << 8) | CAP_READ | CAP_WRITE | CAP_GRANT);
    struct msg m = {.words = {1, ~0ul, 3, 0x8000000000000000ul}}, got;
    EXPECT(chan_recv(e[0], &got), E_EMPTY);
    EXPECT(chan_send(e[0], &m), 0);
    EXPECT(chan_recv(e[0], &got), E_EMPTY);  // it went to the other end
    EXPECT(chan_recv(e[1], &got), 0);
    EXPECT(memcmp(got.words, m.words, sizeof m.words), 0);
    EXPECT(got.ncaps, 0);
    return 0;
}

long t_channel_full_queue(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    struct msg m = {0}, got;
    for (int i = 0; i < CHAN_QUEUE; i++) {
        m.words[0] = (uint64_t)i;
        EXPECT(chan_send(e[0], &m), 0);
    }
    long r = region_new(4096, CAP_READ);
    m.caps[0] = (uint64_t)r;
    m.ncaps = 1;
    EXPECT(chan_send(e[0], &m), E_FULL);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // kept
    EXPECT(chan_send(e[1], &m), 0);                  // the other direction has its own queue
    EXPECT(chan_recv(e[1], &got), 0);
    EXPECT(got.words[0], 0);  // the oldest first
    m.ncaps = 0;
    EXPECT(chan_send(e[0], &m), 0);  // room for one again
    EXPECT(chan_send(e[0], &m), E_FULL);
    return 0;
}

long t_channel_bad_messages(void) {
    uint64_t e[2], f[2];
    EXPECT(channel_new(e), 0);
    EXPECT(channel_new(f), 0);
    long r = region_new(4096, CAP_READ);
    struct msg m = {.caps = {(uint64_t)r}};
    const uint64_t counts[] = {5, 1ul << 32, 1ul << 63, ~0ul};
    for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        m.ncaps = counts[i];
        EXPECT(chan_send(e[0], &m), E_INVAL);
    }
    m.ncaps = 2;
    m.caps[1] = (uint64_t)r;
    EXPECT(chan_send(e[0], &m), E_INVAL);  // one capability twice
    m.caps[1] = e[1];
    EXPECT(chan_send(e[0], &m), E_INVAL);  // the channel's own end
    m.caps[1] = e[0];
    EXPECT(chan_send(e[0], &m), E_INVAL);
    m.caps[1] = 0;
    EXPECT(chan_send(e[0], &m), E_BADHANDLE);
    m.caps[1] = 0xdead0001;
    EXPECT(chan_send(e[0], &m), E_BADHANDLE);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // nothing moved
    struct msg got;
    EXPECT(chan_recv(e[1], &got), E_EMPTY);
    return 0;
}

// A channel's end travels inside another channel; the way back would
// close a cycle that could never be freed: refused.
long t_channel_cycle(void) {
    uint64_t x[2], y[2];
    EXPECT(channel_new(x), 0);
    EXPECT(channel_new(y), 0);
    struct msg m = {.caps = {x[1]}, .ncaps = 1};
    EXPECT(chan_send(y[0], &m), 0);  // x[1] waits in y's queue
    m.caps[0] = y[1];
    EXPECT(chan_send(x[0], &m), E_INVAL);
    EXPECT(cap_type(y[1]) >> 8, OBJ_CHANNEL);  // kept
    struct sys_mem before = mem_now();
    EXPECT(cap_drop(y[0]), 0);
    EXPECT(cap_drop(y[1]), 0);  // y closes, and x[1] queued in it: x's end closes
    EXPECT(mem_now().channels, before.channels - 1);
    struct msg got;
    EXPECT(chan_recv(x[0], &got), E_CLOSED);
    return 0;
}

long t_channel_closed_peer(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    struct msg m = {.words = {9}}, got;
    EXPECT(chan_send(e[1], &m), 0);
    long copy = cap_derive(e[1], CAP_READ | CAP_WRITE, 0, 0);
    EXPECT(cap_drop(e[1]), 0);
    EXPECT(chan_send(e[0], &m), 0);  // a copy keeps the end open
    EXPECT(cap_drop((uint64_t)copy), 0);
    EXPECT(chan_send(e[0], &m), E_CLOSED);
    EXPECT(chan_recv(e[0], &got), 0);  // what was queued still arrives
    EXPECT(got.words[0], 9);
    EXPECT(chan_recv(e[0], &got), E_CLOSED);
    return 0;
}

// Revoked while queued: the message arrives with handle 0; the region
// goes when its last capability does.
long t_channel_revoke_queued(void) {
    struct sys_mem before = mem_now();
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long c = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    long d = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    struct msg m = {.caps = {(uint64_t)c, (uint64_t)d}, .ncaps = 2}, got;
    EXPECT(chan_send(e[0], &m), 0);
    EXPECT(cap_revoke((uint64_t)r), 0);
    EXPECT(chan_recv(e[1], &got), 0);
    EXPECT(got.ncaps, 2);
    EXPECT(got.caps[0], 0);
    EXPECT(got.caps[1], 0);
    // The original itself queued, then dropped with the receiving end.
    m.caps[0] = (uint64_t)r;
    m.ncaps = 1;
    EXPECT(chan_send(e[0], &m), 0);
    EXPECT(cap_drop(e[1]), 0);
    EXPECT(cap_drop(e[0]), 0);
    struct sys_mem after = mem_now();
    EXPECT(after.regions, before.regions);
    EXPECT(after.channels, before.channels);
    EXPECT(after.caps, before.caps);
    return 0;
}

// A record waiting for a message whose end goes meanwhile (its program
// dropped it) is told E_BADHANDLE; one whose peer goes, E_CLOSED.
static uint64_t w[2];
static int told;
static long own_end_gone(long arg, long value) {
    EXPECT(value, E_BADHANDLE);
    told++;
    return 0;
}
static long peer_gone(long arg, long value) {
    EXPECT(value, E_CLOSED);
    EXPECT(told, 1);
    return 0;
}

long t_channel_wait_end_dropped(void) {
    EXPECT(channel_new(w), 0);
    EXPECT(cont_wait_msg(w[0], own_end_gone, 0), 0);
    EXPECT(cont_wait_msg(w[1], peer_gone, 0), 0);
    EXPECT(cap_drop(w[0]), 0);
    return 0;
}

long t_console_rights(void) {
    long w_only = cap_derive(console, CAP_WRITE, 0, 0);
    long r_only = cap_derive(console, console_readable() ? CAP_READ : 0, 0, 0);
    char buf[4];
    EXPECT(console_write((uint64_t)w_only, "", 0), 0);
    EXPECT(console_read((uint64_t)r_only, buf, sizeof buf), console_readable() ? 0 : E_RIGHTS);
    EXPECT(console_write((uint64_t)r_only, "x", 1), E_RIGHTS);
    EXPECT(console_read((uint64_t)w_only, buf, 1), E_RIGHTS);
    EXPECT(sys_call(SYS_WAIT_INPUT, w_only, (long)noop, 0), E_RIGHTS);
    EXPECT(cap_derive((uint64_t)w_only, CAP_READ, 0, 0), E_RIGHTS);
    EXPECT(region_phys(console), E_TYPE);
    struct cap_info info;
    EXPECT(cap_inspect(console, &info), 0);
    EXPECT(info.type, OBJ_CONSOLE);
    EXPECT(info.base, 0);
    EXPECT(info.length, 0);
    return 0;
}

// No program of the suite holds the power object: every try fails, the
// machine runs on.
long t_poweroff_refused(void) {
    long r = region_new(4096, CAP_READ);
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    EXPECT(poweroff(0, 0), E_BADHANDLE);
    EXPECT(poweroff(~0ul, 0), E_BADHANDLE);
    EXPECT(poweroff(console, 0), E_TYPE);
    EXPECT(poweroff((uint64_t)r, 0), E_TYPE);
    EXPECT(poweroff(e[0], 1), E_TYPE);
    for (uint64_t slot = 0; slot < 16; slot++)  // every handle this table could hold
        for (uint64_t gen = 0; gen < 4; gen++) {
            long err = poweroff(slot << 16 | gen, 0);
            EXPECT_TRUE(err == E_BADHANDLE || err == E_TYPE);
        }
    return 0;
}
