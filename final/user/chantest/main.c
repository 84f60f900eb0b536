// chantest: channels (final/): words, capabilities (one to four), the
// all-or-nothing rule (no grant, a stale handle, a full receiver table, a
// full queue), a closed peer (dropped, or its program ended) waking a
// waiting receiver, a region moved to a child (its frames, not a copy)
// and moved back, the sender killed when it touches a region it gave
// away, and a region revoked while its capability sat in a queue.
#include "check.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

static uint64_t console;

static bool holds(uint64_t h) { return cap_type(h) >= 0; }

static void words_only(void) {
    uint64_t e[2];
    CHECK(channel_new(e) == 0 && cap_type(e[0]) >> 8 == OBJ_CHANNEL, "channel_new: two endpoints");
    struct msg m = {.words = {1, 2, 3, 0xfeedfacecafebeef}}, got;
    CHECK(chan_send(e[0], &m) == 0 && chan_recv(e[1], &got) == 0 && got.ncaps == 0 &&
              got.words[0] == 1 && got.words[3] == 0xfeedfacecafebeef,
          "a message of words only arrives as sent");
    CHECK(chan_recv(e[1], &got) == E_EMPTY, "an empty queue: E_EMPTY");
    CHECK(chan_send(e[0], (struct msg *)0xffff800000000000ul) == E_FAULT,
          "a message in kernel memory: E_FAULT");
    m.ncaps = 5;
    CHECK(chan_send(e[0], &m) == E_INVAL, "more than four capabilities: E_INVAL");
    m.ncaps = 1;
    m.caps[0] = e[0];
    CHECK(chan_send(e[0], &m) == E_INVAL, "a channel's own end sent on it: E_INVAL");
    CHECK(chan_send(console, &m) == E_TYPE, "sending on a console: E_TYPE");
    cap_drop(e[0]);
    cap_drop(e[1]);
}

static void four_caps(void) {
    uint64_t e[2];
    channel_new(e);
    struct msg m = {.ncaps = 4}, got;
    uint64_t base[4];
    for (int i = 0; i < 4; i++) {
        m.caps[i] = (uint64_t)region_new(4096, CAP_READ | CAP_WRITE);
        struct cap_info info;
        cap_inspect(m.caps[i], &info);
        base[i] = info.base;
        *(volatile uint64_t *)base[i] = 100 + i;
    }
    long phys = region_phys(m.caps[0]);
    CHECK(chan_send(e[0], &m) == 0, "a message with four capabilities is sent");
    CHECK(!holds(m.caps[0]) && !holds(m.caps[3]), "the sender no longer holds them");
    CHECK(chan_recv(e[1], &got) == 0 && got.ncaps == 4, "the four arrive");
    bool same = true;
    for (int i = 0; i < 4; i++) {
        struct cap_info info;
        same = same && cap_inspect(got.caps[i], &info) == 0 && info.base == base[i] &&
               *(volatile uint64_t *)base[i] == (uint64_t)(100 + i);
    }
    CHECK(same, "each at the same address with the same bytes");
    CHECK(region_phys(got.caps[0]) == phys, "on the same frames (nothing copied)");
    for (int i = 0; i < 4; i++)
        cap_drop(got.caps[i]);
    cap_drop(e[0]);
    cap_drop(e[1]);
}

static uint64_t t_ep[2];

static void nothing_moves(void) {
    uint64_t e[2];
    channel_new(e);
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long nogrant = cap_derive((uint64_t)r, CAP_READ, 0, 4096);
    struct msg m = {.ncaps = 2, .caps = {(uint64_t)r, (uint64_t)nogrant}}, got;
    CHECK(chan_send(e[0], &m) == E_RIGHTS && holds((uint64_t)r) && holds((uint64_t)nogrant) &&
              chan_recv(e[1], &got) == E_EMPTY,
          "a capability without CAP_GRANT: E_RIGHTS, nothing moves");
    long gone = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 4096);
    cap_drop((uint64_t)gone);
    m.caps[1] = (uint64_t)gone;
    CHECK(chan_send(e[0], &m) == E_BADHANDLE && holds((uint64_t)r) &&
              chan_recv(e[1], &got) == E_EMPTY,
          "a stale capability: E_BADHANDLE, nothing moves");
    m.caps[1] = (uint64_t)r;
    CHECK(chan_send(e[0], &m) == E_INVAL && holds((uint64_t)r), "one capability twice: E_INVAL");
    // A full queue.
    struct msg w = {.words = {7}};
    int sent = 0;
    while (sent < 100 && chan_send(e[0], &w) == 0)
        sent++;
    m.ncaps = 1;
    CHECK(sent == CHAN_QUEUE && chan_send(e[0], &m) == E_FULL && holds((uint64_t)r),
          "a full queue (16 messages): E_FULL, the sender keeps its capability");
    while (chan_recv(e[1], &got) == 0)
        ;
    // A full receiver table: filled later, a continuation at a time.
    CHECK(chan_send(e[0], &m) == 0 && !holds((uint64_t)r), "a region is queued");
    t_ep[0] = e[0];
    t_ep[1] = e[1];
}

// A full receiver table: fill ours (64 derives a continuation, to stay
// within the time budget), then receive a message with one capability.
static uint64_t filler[4096];  // CAP_MAX_SLOTS (kernel/cap.h)
static int nfiller;

static long table_full(long arg, long value) {
    long h = 0;
    for (int i = 0; i < 64 && nfiller < 4096 && (h = cap_derive(console, CAP_WRITE, 0, 0)) > 0; i++)
        filler[nfiller++] = (uint64_t)h;
    if (h > 0 && nfiller < 4096)
        return cont_queue(table_full, 0);
    struct msg got, m = {.ncaps = 1};
    CHECK(chan_recv(t_ep[1], &got) == E_FULL, "the receiver's table is full: E_FULL");
    cap_drop(filler[--nfiller]);
    CHECK(chan_recv(t_ep[1], &got) == 0 && got.ncaps == 1 && holds(got.caps[0]),
          "the message stayed queued; with room it arrives");
    while (nfiller > 0)
        cap_drop(filler[--nfiller]);
    // Revoked while queued: the parent stays, the queued child is gone.
    uint64_t region = got.caps[0];
    long child = cap_derive(region, CAP_READ | CAP_GRANT, 0, 4096);
    m.caps[0] = (uint64_t)child;
    chan_send(t_ep[0], &m);
    CHECK(cap_revoke(region) == 0, "revoke while its child is queued");
    CHECK(chan_recv(t_ep[1], &got) == 0 && got.ncaps == 1 && got.caps[0] == 0,
          "a capability revoked in a queue arrives as 0");
    CHECK(cap_drop(m.caps[0]) == E_BADHANDLE, "the sender's moved handle is stale");
    cap_drop(region);
    cap_drop(t_ep[0]);
    cap_drop(t_ep[1]);
    return 0;
}

// --- Closing: a waiting receiver learns of it. ---------------------------------
static uint64_t d_wait[2], c_wait[2], c_child, m_ep[2], m_child;
static long m_base;

static long peer_dropped(long arg, long value) {
    CHECK(value == E_CLOSED, "the other end dropped while waiting: woken with E_CLOSED");
    struct msg got;
    CHECK(chan_recv(d_wait[0], &got) == E_CLOSED, "receiving from a closed channel: E_CLOSED");
    cap_drop(d_wait[0]);
    return 0;
}

static long child_closed(long arg, long value) {
    CHECK(value == E_CLOSED, "the other end's program ended: the waiter gets E_CLOSED");
    cap_drop(c_wait[1]);
    return 0;
}

static long mover_ended(long arg, long state) {
    struct proc_status st;
    proc_status(m_child, &st);
    CHECK(state == PROC_KILLED && strncmp(st.reason, "page fault", 10) == 0,
          "a sender touching a region it sent is killed (page fault)");
    cap_drop(m_child);
    cap_drop(m_ep[0]);
    return checks_done();
}

static long region_arrived(long arg, long value) {
    struct msg got;
    struct cap_info info;
    CHECK(value == 1 && chan_recv(m_ep[0], &got) == 0 && got.ncaps == 1 &&
              cap_inspect(got.caps[0], &info) == 0 && (long)info.base == (long)got.words[0],
          "a region moved from another program arrives at its address");
    CHECK(*(volatile uint64_t *)info.base == 0x5eed &&
              region_phys(got.caps[0]) == (long)got.words[1],
          "its bytes and its frames are the sender's");
    *(volatile uint64_t *)info.base = 0xbeef;
    CHECK(*(volatile uint64_t *)info.base == 0xbeef, "the receiver writes it");
    m_base = (long)info.base;
    cap_drop(got.caps[0]);
    return cont_wait_proc(m_child, mover_ended, 0);
}

// A chain of channels, each queue holding the next channel's other end,
// 2,000 deep: dropping the head closes them all without running the
// kernel's one stack over (the kernel closes them from a list).
static void deep_chain(void) {
    uint64_t head[2], cur[2];
    CHECK(channel_new(head) == 0, "a chain of channels: the head");
    cur[0] = head[0];
    cur[1] = head[1];
    int depth = 0;
    for (; depth < 2000; depth++) {
        uint64_t next[2];
        if (channel_new(next) != 0)
            break;
        struct msg m = {.ncaps = 1, .caps = {next[1]}};
        if (chan_send(cur[0], &m) != 0)
            break;
        if (cur[0] != head[0])
            cap_drop(cur[0]);
        if (cur[1] != head[1])
            cap_drop(cur[1]);  // its queue now lives only inside the previous one
        cur[0] = next[0];
        cur[1] = 0;
    }
    cap_drop(cur[0]);
    CHECK(depth == 2000, "2,000 channels, each queued inside the one before");
    cap_drop(head[0]);
    cap_drop(head[1]);
    CHECK(cap_type(head[1]) == E_BADHANDLE, "dropping the head closes the whole chain");
    // A cycle: a's end queued in b, then b's end in a: refused.
    uint64_t a[2], b[2];
    channel_new(a);
    channel_new(b);
    struct msg m = {.ncaps = 1, .caps = {a[1]}};
    CHECK(chan_send(b[0], &m) == 0, "a channel's end queued in another channel");
    m.caps[0] = b[1];
    CHECK(chan_send(a[0], &m) == E_INVAL && cap_type(b[1]) >= 0,
          "the other's end queued back (a cycle): E_INVAL, nothing moves");
    cap_drop(a[0]);
    cap_drop(b[0]);
    cap_drop(b[1]);
}

int main(int ncaps, const uint64_t *caps) {
    console = caps[0];
    deep_chain();
    words_only();
    four_caps();
    nothing_moves();
    cont_queue(table_full, 0);
    // The other end dropped while we wait.
    channel_new(d_wait);
    CHECK(cont_wait_msg(d_wait[0], peer_dropped, 0) == 0, "waiting for a message");
    cap_drop(d_wait[1]);
    // The other end's program ends.
    channel_new(c_wait);
    struct spawn_cap give[2] = {{console, 0}, {c_wait[0], SPAWN_MOVE}};
    c_child = (uint64_t)spawn("chanexit", give, 2);
    CHECK((long)c_child > 0 && cont_wait_msg(c_wait[1], child_closed, 0) == 0,
          "a child holding the other end is spawned");
    cap_drop(c_child);
    // A region moved out of a child, which then touches it.
    channel_new(m_ep);
    struct spawn_cap give2[2] = {{console, 0}, {m_ep[1], SPAWN_MOVE}};
    m_child = (uint64_t)spawn("chanmove", give2, 2);
    CHECK((long)m_child > 0, "a child that sends a region is spawned");
    return cont_wait_msg(m_ep[0], region_arrived, 0);
}
