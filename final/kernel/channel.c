// channel.c: channels: messages of a few words and capabilities between
// programs (final/).
//
// Owns: endpoints (the objects behind channel capabilities), their
// message queues, the capabilities in transit, and the records waiting
// for a message. Relies on cap (lookup, copy, replace: a move), the
// continuation calls (records, sched_ready), uaccess (messages).
//
// A message's path:
//
//   chan_send(ep, m): check everything first (the endpoint, every handle
//   with CAP_GRANT, room in the queue and in the transit table), then copy
//   each capability into the peer endpoint's transit table and finish the
//   moves (cap_replace: the sender's capabilities go, and a region leaves
//   the sender's view). Queue the words and the transit handles; every
//   record waiting at the peer becomes runnable.
//   chan_recv(ep, m): the oldest message; its capabilities move from the
//   transit table into the receiver's (a region enters its view, at the
//   same address, on the same frames), then the words and the new handles
//   are written to the receiver's buffer.
//
// Both are all or nothing: a failure (a bad handle, a missing right, a
// full queue, a full table, no memory) changes nothing anywhere, and the
// message (on receive) stays queued.
//
// An end closes when its last capability goes (dropped, or its program
// ended): the messages queued at it are dropped with their capabilities,
// and records waiting at the other end are woken with E_CLOSED. The
// channel's memory goes when both ends are closed.
#include "channel.h"
#include "cont.h"
#include "heap.h"
#include "proc.h"
#include "region.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "uaccess.h"

struct channel {
    struct endpoint end[2];
};

static struct cont *msg_waiters;  // a list, by c->next; c->word: the endpoint
static uint64_t live_channels;

uint64_t channel_live_count(void) { return live_channels; }

static void endpoint_init(struct endpoint *e, struct endpoint *peer) {
    e->obj.type = OBJ_CHANNEL;
    e->peer = peer;
    cap_table_init(&e->transit, NULL);  // no view: capabilities here map nothing
}

// c becomes runnable with `value`; one that waited with wait_recv or
// chan_call (c->index: its handle) receives the message as it starts,
// when there is one (value > 0: messages queued).
static void make_ready(struct cont *c, int64_t value) {
    // LAB final: BEGIN SOLUTION
    c->word = (uint64_t)value;
    trace_ready(c);  // (c->wait still says what it waited for)
    sched_ready(c);
    if (c->index && value > 0)
        c->wait = WAIT_RECV;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)c, (void)value;
}

// Every record waiting at e becomes runnable with `value`.
static void wake_waiters(struct endpoint *e, int64_t value) {
    // LAB final: BEGIN SOLUTION
    struct cont **link = &msg_waiters;
    while (*link) {
        struct cont *c = *link;
        if (c->word != (uint64_t)e) {
            link = &c->next;
            continue;
        }
        *link = c->next;
        c->proc->waits_msg--;
        make_ready(c, value);
    }
    // LAB final: END SOLUTION
    // LAB final: STUB (void)e, (void)value, (void)make_ready;
}

int channel_create(struct cap_table *t, int64_t h[2]) {
    // LAB final: BEGIN SOLUTION
    int err = cap_reserve(t, 2);
    if (err)
        return err;
    struct channel *ch = kzalloc(sizeof *ch);
    if (!ch)
        return E_NOMEM;
    endpoint_init(&ch->end[0], &ch->end[1]);
    endpoint_init(&ch->end[1], &ch->end[0]);
    live_channels++;
    uint32_t rights = CAP_READ | CAP_WRITE | CAP_GRANT;
    h[0] = cap_create(t, &ch->end[0].obj, rights, 0, 0);
    if (h[0] < 0) {  // nothing names the channel yet: free it by hand
        live_channels--;
        kfree(ch);
        return (int)h[0];
    }
    h[1] = cap_create(t, &ch->end[1].obj, rights, 0, 0);
    if (h[1] < 0) {  // end 1 was never named: close it, then drop end 0
        endpoint_release(&ch->end[1].obj);
        cap_drop(t, (uint64_t)h[0]);
        return (int)h[1];
    }
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)t, (void)h, (void)endpoint_init;
    // LAB final: STUB return E_NOSYS;   /* final: channel_create not written yet */
}

int64_t sys_channel_new(uint64_t out, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    int64_t h[2];
    int err = check_user_range(current_proc->root, out, sizeof h, true);
    if (err)
        return err;
    if ((err = channel_create(&current_proc->caps, h)) != 0)
        return err;
    copy_to_user(current_proc->root, out, h, sizeof h);
    return 0;
}
SYSCALL(SYS_CHANNEL_NEW, sys_channel_new);

// Does either queue of e's channel hold a channel end? Such a channel's
// own ends may not travel: every cycle of channels queued inside each
// other would need one (the last link of a cycle sends the end of a
// channel whose queue already holds the link before it), and a cycle
// could never close: its memory would stay after every program ended.
static bool carries_an_end(struct endpoint *e) {
    // LAB final: BEGIN SOLUTION
    for (int side = 0; side < 2; side++, e = e->peer)
        for (uint32_t i = 0; i < e->transit.nslots; i++) {
            struct cap *c = e->transit.entries[i].cap;
            if (c && c->obj->type == OBJ_CHANNEL)
                return true;
        }
    return false;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)e;
    // LAB final: STUB return false;
}

// The capabilities a message names, each a live one of the caller's with
// CAP_GRANT, none twice, none an end of the channel it travels on (a
// channel carrying its own end could never close), none an end of a
// channel that carries ends (carries_an_end).
static int check_caps(struct cap_table *t, const struct msg *m, struct endpoint *e,
                      struct cap **src) {
    // LAB final: BEGIN SOLUTION
    for (uint64_t i = 0; i < m->ncaps; i++) {
        int err = cap_lookup(t, m->caps[i], 0, CAP_GRANT, &src[i]);
        if (err)
            return err;
        if (src[i]->obj == &e->obj || src[i]->obj == &e->peer->obj)
            return E_INVAL;
        if (src[i]->obj->type == OBJ_CHANNEL && carries_an_end((struct endpoint *)src[i]->obj))
            return E_INVAL;
        for (uint64_t j = 0; j < i; j++)
            if (src[j] == src[i])
                return E_INVAL;
    }
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)t, (void)m, (void)e, (void)src, (void)carries_an_end;
    // LAB final: STUB return E_NOSYS;
}

int chan_send(struct cap_table *t, uint64_t handle, const struct msg *msg) {
    // LAB final: BEGIN SOLUTION
    struct cap *ec;
    int err = cap_lookup(t, handle, OBJ_CHANNEL, CAP_WRITE, &ec);
    if (err)
        return err;
    struct msg m = *msg;
    if (m.ncaps > CHAN_MAX_CAPS)
        return E_INVAL;
    struct endpoint *to = ((struct endpoint *)ec->obj)->peer;
    struct cap *src[CHAN_MAX_CAPS];
    if ((err = check_caps(t, &m, to, src)) != 0)
        return err;
    if (to->closed)
        return E_CLOSED;
    if (to->count == CHAN_QUEUE)
        return E_FULL;
    if ((err = cap_reserve(&to->transit, (uint32_t)m.ncaps)) != 0)
        return err;
    struct kmsg *k = &to->queue[(to->head + to->count) % CHAN_QUEUE];
    struct cap *copies[CHAN_MAX_CAPS];
    for (uint64_t i = 0; i < m.ncaps; i++) {
        int64_t h = cap_copy_to(src[i], &to->transit);
        if (h < 0) {  // undo the copies made so far: the sender keeps all
            for (uint64_t j = 0; j < i; j++)
                cap_drop(&to->transit, k->transit[j]);
            return h;
        }
        k->transit[i] = (uint64_t)h;
        cap_lookup(&to->transit, k->transit[i], 0, 0, &copies[i]);
    }
    for (uint64_t i = 0; i < m.ncaps; i++)  // nothing can fail from here on
        cap_replace(src[i], copies[i]);     // the sender's go (a region: unmapped)
    memcpy(k->words, m.words, sizeof k->words);
    k->ncaps = (uint32_t)m.ncaps;
    to->count++;
    trace_msg(TRACE_SEND, current_proc, to, copies, m.ncaps);
    wake_waiters(to, to->count);
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)t, (void)handle, (void)msg, (void)check_caps, (void)wake_waiters;
    // LAB final: STUB return E_NOSYS;   /* final: chan_send not written yet (kernel/channel.c) */
}

int chan_recv(struct cap_table *t, uint64_t handle, struct msg *out) {
    // LAB final: BEGIN SOLUTION
    struct cap *ec;
    int err = cap_lookup(t, handle, OBJ_CHANNEL, CAP_READ, &ec);
    if (err)
        return err;
    struct endpoint *e = (struct endpoint *)ec->obj;
    if (e->count == 0)
        return e->peer->closed ? E_CLOSED : E_EMPTY;
    struct kmsg *k = &e->queue[e->head];
    struct msg m = {.ncaps = k->ncaps};
    memcpy(m.words, k->words, sizeof m.words);
    struct cap *src[CHAN_MAX_CAPS] = {0}, *copies[CHAN_MAX_CAPS] = {0};
    uint32_t live = 0;
    for (uint32_t i = 0; i < k->ncaps; i++)  // a revoked one is simply gone
        if (cap_lookup(&e->transit, k->transit[i], 0, 0, &src[i]) == 0)
            live++;
        else
            src[i] = NULL;
    if ((err = cap_reserve(t, live)) != 0)
        return err;  // the message stays queued
    for (uint32_t i = 0; i < k->ncaps; i++) {
        if (!src[i])
            continue;
        int64_t h = cap_copy_to(src[i], t);
        if (h < 0) {
            for (uint32_t j = 0; j < i; j++)
                if (copies[j])
                    cap_drop(t, m.caps[j]);
            return h;
        }
        m.caps[i] = (uint64_t)h;
        cap_lookup(t, m.caps[i], 0, 0, &copies[i]);
    }
    for (uint32_t i = 0; i < k->ncaps; i++)  // nothing can fail from here on
        if (src[i])
            cap_replace(src[i], copies[i]);
    e->head = (e->head + 1) % CHAN_QUEUE;
    e->count--;
    trace_msg(TRACE_RECV, current_proc, e, copies, k->ncaps);
    *out = m;
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)t, (void)handle, (void)out;
    // LAB final: STUB return E_NOSYS;   /* final: chan_recv not written yet (kernel/channel.c) */
}

int64_t sys_chan_send(uint64_t handle, uint64_t umsg, uint64_t unused1, uint64_t unused2) {
    struct msg m;
    struct cap *ec;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_CHANNEL, CAP_WRITE, &ec);
    if (err)
        return err;  // the handle first, then the buffer (as every call does)
    if (copy_from_user(current_proc->root, &m, umsg, sizeof m) != 0)
        return E_FAULT;
    return chan_send(&current_proc->caps, handle, &m);
}
SYSCALL(SYS_CHAN_SEND, sys_chan_send);

// The buffer is checked before anything moves, so the copy out cannot fail.
int64_t sys_chan_recv(uint64_t handle, uint64_t umsg, uint64_t unused1, uint64_t unused2) {
    struct msg m;
    struct cap *ec;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_CHANNEL, CAP_READ, &ec);
    if (err)
        return err;
    if ((err = check_user_range(current_proc->root, umsg, sizeof m, true)) != 0)
        return err;
    if ((err = chan_recv(&current_proc->caps, handle, &m)) != 0)
        return err;
    copy_to_user(current_proc->root, umsg, &m, sizeof m);
    return 0;
}
SYSCALL(SYS_CHAN_RECV, sys_chan_recv);

// Record c as waiting at e for a message; `receive`: c receives it as it
// starts (c->index keeps the handle, which cap_lookup checked: < 2^32).
static void wait_at(struct cont *c, struct endpoint *e, uint64_t handle, bool receive) {
    // LAB final: BEGIN SOLUTION
    c->index = receive ? (uint32_t)handle : 0;
    trace_wait(c, WAIT_MSG, (uint64_t)e);   // before: it may be woken at once
    if (e->count > 0 || e->peer->closed) {  // nothing to wait for: at once
        c->wait = WAIT_MSG;                 // (for the trace: woken at once, not queued)
        make_ready(c, e->count > 0 ? (int64_t)e->count : E_CLOSED);
        return;
    }
    c->wait = WAIT_MSG;
    c->word = (uint64_t)e;
    c->next = msg_waiters;
    msg_waiters = c;
    c->proc->waits_msg++;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)c, (void)e, (void)handle, (void)receive;
}

static int64_t wait_msg(uint64_t handle, uint64_t fn, uint64_t arg, bool receive) {
    struct cap *ec;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_CHANNEL, CAP_READ, &ec);
    if (err)
        return err;
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    wait_at(c, (struct endpoint *)ec->obj, handle, receive);
    return 0;
}

int64_t sys_wait_msg(uint64_t handle, uint64_t fn, uint64_t arg, uint64_t unused) {
    return wait_msg(handle, fn, arg, false);
}
SYSCALL(SYS_WAIT_MSG, sys_wait_msg);

int64_t sys_wait_recv(uint64_t handle, uint64_t fn, uint64_t arg, uint64_t unused) {
    return wait_msg(handle, fn, arg, true);
}
SYSCALL(SYS_WAIT_RECV, sys_wait_recv);

// chan_send of an empty message (no words, no capabilities) to `to`:
// nothing to check but room, nothing to copy.
static int send_empty(struct endpoint *to) {
    // LAB final: BEGIN SOLUTION
    if (to->closed)
        return E_CLOSED;
    if (to->count == CHAN_QUEUE)
        return E_FULL;
    struct kmsg *k = &to->queue[(to->head + to->count) % CHAN_QUEUE];
    for (int i = 0; i < CHAN_WORDS; i++)
        k->words[i] = 0;
    k->ncaps = 0;
    to->count++;
    trace_msg(TRACE_SEND, current_proc, to, NULL, 0);
    wake_waiters(to, to->count);
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)to;
    // LAB final: STUB return E_NOSYS;
}

// A call's fast path: an empty message, nothing runnable, and a record of
// a program waiting at the other end to receive, whose stack has had a
// message before (so its inbox is known). What the dispatcher would do
// next anyway is done at once: the waiting record becomes the caller's
// own wait (as if one were freed and the other made), the empty message
// is written straight onto the receiver's stack, never queued, and the
// receiver runs. False, with nothing changed, when the fast path does not
// apply; then the general path gives the same result, only slower.
//
// Inlined into sys_chan_call, and the record changes hands in place: this
// runs twice per call and reply, and each call, saved register and list
// operation avoided here is a few instructions off ipc_call_reply. Every
// check of the general path is still made, on what is known here: the
// caller's handle (sys_chan_call looked it up), the receiver's (looked up
// again: it may have dropped it while waiting), both ends open, both
// queues empty (a message queued for the caller would wake its new wait
// at once: the general path handles that).
static inline __attribute__((always_inline)) bool
call_direct(struct proc *p, struct endpoint *e, uint64_t handle, uint64_t fn, uint64_t arg) {
    struct endpoint *to = e->peer;
    if (!sched_idle() || to->closed || to->count != 0 || e->count != 0 ||
        p->conts >= PROC_MAX_CONTS)
        return false;
    struct cont **link = &msg_waiters, *w;
    for (; (w = *link) != NULL; link = &w->next)
        if (w->word == (uint64_t)to && w->index)
            break;
    if (!w)
        return false;
    struct proc *q = w->proc;
    struct cap *qc;  // the receiver still holds the handle it waits with
    uint64_t at = (q->user_rsp - sizeof(struct msg)) & ~15ul;
    if (q->inbox_va != at || cap_lookup(&q->caps, w->index, OBJ_CHANNEL, CAP_READ, &qc) != 0 ||
        qc->obj != &to->obj)
        return false;
    uint64_t q_fn = w->fn, q_arg = w->arg;
    struct msg *in = q->inbox;
    for (int i = 0; i < CHAN_WORDS; i++)
        in->words[i] = 0;
    for (int i = 0; i < CHAN_MAX_CAPS; i++)
        in->caps[i] = 0;
    in->ncaps = 0;
    // w was q's, waiting at `to`; now it is p's, waiting at e to receive
    // (wait_at's work, with its checks made above). A new record goes to
    // the list's head: w moves there unless it is there already.
    q->waits_msg--;
    q->conts--;
    w->proc = p;
    w->fn = fn;
    w->arg = arg;
    w->word = (uint64_t)e;
    w->index = (uint32_t)handle;  // cap_lookup checked it: < 2^32
    if (link != &msg_waiters) {
        *link = w->next;
        w->next = msg_waiters;
        msg_waiters = w;
    }
    p->conts++;
    p->waits_msg++;
    trace_wait(w, WAIT_MSG, (uint64_t)e);
    sched_enter(q, at, q_fn, q_arg, at);
}

// A call: send (0 for msg: an empty message, nothing to copy), then wait
// at the same end for the answer, which fn receives, and end the running
// continuation as cont_return(0) does. All or nothing: on an error nothing
// is sent, nothing waits, and the continuation goes on with the error.
int64_t sys_chan_call(uint64_t handle, uint64_t umsg, uint64_t fn, uint64_t arg) {
    // LAB final: BEGIN SOLUTION
    struct proc *p = current_proc;
    struct cap *ec;
    int err = cap_lookup(&p->caps, handle, OBJ_CHANNEL, CAP_READ | CAP_WRITE, &ec);
    if (err)
        return err;
    struct msg m;
    if (umsg && copy_from_user(p->root, &m, umsg, sizeof m) != 0)
        return E_FAULT;
    if (!umsg)
        call_direct(p, (struct endpoint *)ec->obj, handle, fn, arg);  // returns only if not taken
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    struct endpoint *e = (struct endpoint *)ec->obj;  // not sent (check_caps)
    err = umsg ? chan_send(&p->caps, handle, &m) : send_empty(e->peer);
    if (err) {
        p->conts--;
        cont_free(c);
        return err;
    }
    wait_at(c, e, handle, true);
    current_proc = NULL;
    sched_restart();
    // LAB final: END SOLUTION
    // LAB final: STUB (void)handle, (void)umsg, (void)fn, (void)arg, (void)send_empty;
    // LAB final: STUB return E_NOSYS;   /* final: chan_call not written yet (kernel/channel.c) */
}
SYSCALL(SYS_CHAN_CALL, sys_chan_call);

// The page under a program's continuation stack top never moves (proc.c
// made the stack; nothing unmaps it): found once, then written through
// the direct map. False when the message would straddle two pages.
static bool inbox_known(struct proc *p, uint64_t at) {
    // LAB final: BEGIN SOLUTION
    if (p->inbox_va == at)
        return true;
    struct mapping map;
    if ((at & (PAGE_SIZE - 1)) + sizeof(struct msg) > PAGE_SIZE ||
        check_user_range(p->root, at, sizeof(struct msg), true) != 0 ||
        !translate(p->root, at, &map))
        return false;
    p->inbox_va = at;
    p->inbox = phys_to_virt(map.pa);
    return true;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)p, (void)at;
    // LAB final: STUB return false;
}

// The message goes just below rsp, 16-byte aligned.
uint64_t chan_deliver(struct proc *p, uint32_t handle, uint64_t rsp, uint64_t *value) {
    // LAB final: BEGIN SOLUTION
    struct msg m;
    uint64_t at = (rsp - sizeof m) & ~15ul;
    bool known = inbox_known(p, at);
    if (!known && check_user_range(p->root, at, sizeof m, true) != 0) {
        *value = (uint64_t)E_FAULT;  // its own stack: cannot happen; the message stays
        return rsp;
    }
    struct cap *ec;
    int err = cap_lookup(&p->caps, handle, OBJ_CHANNEL, CAP_READ, &ec);
    struct endpoint *e = err ? NULL : (struct endpoint *)ec->obj;
    if (known && e && e->count > 0 && e->queue[e->head].ncaps == 0) {  // words only
        struct msg *in = p->inbox;
        const struct kmsg *k = &e->queue[e->head];
        for (int i = 0; i < CHAN_WORDS; i++)  // a few stores: cheaper than memcpy's call
            in->words[i] = k->words[i];
        for (int i = 0; i < CHAN_MAX_CAPS; i++)
            in->caps[i] = 0;
        in->ncaps = 0;
        e->head = (e->head + 1) % CHAN_QUEUE;
        e->count--;
        trace_msg(TRACE_RECV, p, e, NULL, 0);
    } else if ((err = chan_recv(&p->caps, handle, &m)) == 0) {
        if (known)
            memcpy(p->inbox, &m, sizeof m);
        else
            copy_to_user(p->root, at, &m, sizeof m);  // checked above
    } else {
        *value = (uint64_t)(int64_t)err;
        return rsp;
    }
    *value = at;
    return at;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)p, (void)handle, (void)inbox_known;
    // LAB final: STUB *value = (uint64_t)E_NOSYS;   /* final: chan_deliver not written yet */
    // LAB final: STUB return rsp;
}

// Closing an end drops the capabilities queued at it, which may close
// more ends (a channel's end can travel in another channel's queue, and
// that one's in a third, as deep as a program likes). Recursing would let
// a program run the one kernel stack over, so ends to close go on a list
// that the outermost call works through.
static struct endpoint *closing;
static bool draining;

static void finish_close(struct endpoint *e) {
    // LAB final: BEGIN SOLUTION
    e->count = 0;
    cap_table_destroy(&e->transit);  // what was queued here goes (may close more)
    wake_waiters(e, E_BADHANDLE);    // (none: they held a capability to e)
    wake_waiters(e->peer, E_CLOSED);
    e->finished = true;
    if (e->peer->finished) {
        struct channel *ch = (struct channel *)(e < e->peer ? e : e->peer);
        live_channels--;
        kfree(ch);
    }
    // LAB final: END SOLUTION
    // LAB final: STUB (void)e;
}

void obj_release_more(struct object *obj) {
    if (obj->type == OBJ_CHANNEL)
        endpoint_release(obj);
}

void endpoint_release(struct object *obj) {
    // LAB final: BEGIN SOLUTION
    struct endpoint *e = (struct endpoint *)obj;
    e->closed = true;  // sends to it fail from now on
    e->next_closing = closing;
    closing = e;
    if (draining)
        return;  // the outermost call will finish it
    draining = true;
    while (closing) {
        struct endpoint *next = closing;
        closing = next->next_closing;
        finish_close(next);
    }
    draining = false;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)obj, (void)finish_close, (void)closing, (void)draining;
}

void channel_cancel(struct proc *p) {
    // LAB final: BEGIN SOLUTION
    for (struct cont **link = &msg_waiters; *link;) {
        struct cont *c = *link;
        if (c->proc != p) {
            link = &c->next;
            continue;
        }
        *link = c->next;
        cont_free(c);
    }
    p->waits_msg = 0;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)p;
}
