// cont_test.c: the continuation kernel from the inside (lab 06).
//
// The record pool, the run queue's discipline, the timer heap, the
// waiters for a process's end, a program's records cancelled at its end,
// and the one kernel stack's depth with 1 and 1,000 programs. Most tests
// use stand-in programs (a zeroed struct proc that never runs): they only
// look at queues, with interrupts off so that the real timer does not
// deliver anything meanwhile.
#include "abi.h"
#include "cont.h"
#include "heap.h"
#include "kprintf.h"
#include "ktest.h"
#include "proc.h"
#include "timer.h"
#include "x86.h"

static struct proc *fake_proc(void) { return kzalloc(sizeof(struct proc)); }

static struct cont *fake_cont(struct proc *p, uint64_t arg) {
    struct cont *c = cont_alloc();
    if (c) {
        c->proc = p;
        c->arg = arg;
    }
    return c;
}

// Take everything runnable; free the records; how many there were.
static int drain(void) {
    int n = 0;
    for (struct cont *c; (c = sched_pick()) != NULL; n++)
        cont_free(c);
    return n;
}

KTEST(cont, pool_hands_out_records_and_gives_pages_back) {
    static struct cont *recs[1000];
    cont_pool_trim();
    uint64_t live = cont_live_count(), pages = cont_pool_pages();
    for (int i = 0; i < 1000; i++) {
        recs[i] = cont_alloc();
        ASSERT_TRUE(recs[i] != NULL);
        recs[i]->arg = (uint64_t)i;
    }
    EXPECT_EQ(cont_live_count(), live + 1000);
    EXPECT_TRUE(cont_pool_pages() >= pages + 1000 / 85);
    bool distinct = true;
    for (int i = 0; i < 1000; i++)
        distinct = distinct && recs[i]->arg == (uint64_t)i;
    EXPECT_TRUE(distinct);  // no record handed out twice
    for (int i = 0; i < 1000; i += 2)
        cont_free(recs[i]);
    for (int i = 1; i < 1000; i += 2)
        cont_free(recs[i]);
    EXPECT_EQ(cont_live_count(), live);
    EXPECT_TRUE(cont_pool_pages() <= pages + 1);  // at most the one kept for reuse
    cont_pool_trim();
    EXPECT_EQ(cont_pool_pages(), pages);  // then every page back to the frame allocator
}

// A has 5 runnable, B 2, C 1: one per program per turn, each FIFO.
KTEST(cont, run_queue_one_per_program_per_turn_fifo_within) {
    cli();
    struct proc *a = fake_proc(), *b = fake_proc(), *c = fake_proc();
    ASSERT_TRUE(a && b && c);
    for (int i = 1; i <= 5; i++)
        sched_ready(fake_cont(a, 10 + i));
    for (int i = 1; i <= 2; i++)
        sched_ready(fake_cont(b, 20 + i));
    sched_ready(fake_cont(c, 31));
    static const uint64_t expected[] = {11, 21, 31, 12, 22, 13, 14, 15};
    int right = 0, n = 0;
    for (struct cont *x; (x = sched_pick()) != NULL; n++) {
        if (n < 8 && x->arg == expected[n])
            right++;
        cont_free(x);
    }
    EXPECT_EQ(n, 8);
    EXPECT_EQ(right, 8);
    EXPECT_TRUE(!a->ready_head && !a->on_run_list && !b->on_run_list && !c->on_run_list);
    kfree(a), kfree(b), kfree(c);
    sti();
}

KTEST(cont, a_flooding_program_does_not_starve_another) {
    cli();
    struct proc *flood = fake_proc(), *other = fake_proc();
    ASSERT_TRUE(flood && other);
    for (int i = 0; i < 1000; i++)
        sched_ready(fake_cont(flood, 0));
    sched_ready(fake_cont(other, 1));
    // The other's one continuation comes within the first two picks.
    int position = 0;
    for (int i = 1; i <= 2; i++) {
        struct cont *x = sched_pick();
        ASSERT_TRUE(x != NULL);
        if (x->proc == other)
            position = i;
        cont_free(x);
    }
    EXPECT_TRUE(position != 0);
    EXPECT_EQ(drain(), 999);
    kfree(flood), kfree(other);
    sti();
}

KTEST(cont, forget_takes_a_program_off_the_run_list) {
    cli();
    struct proc *a = fake_proc(), *b = fake_proc(), *c = fake_proc();
    ASSERT_TRUE(a && b && c);
    struct cont *cb = fake_cont(b, 2);
    sched_ready(fake_cont(a, 1));
    sched_ready(cb);
    sched_ready(fake_cont(c, 3));
    sched_forget(b);
    b->ready_head = b->ready_tail = NULL;
    cont_free(cb);
    struct cont *x = sched_pick(), *y = sched_pick();
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->arg, 1);
    EXPECT_EQ(y->arg, 3);
    EXPECT_TRUE(sched_pick() == NULL);
    cont_free(x), cont_free(y);
    kfree(a), kfree(b), kfree(c);
    sti();
}

// 2,000 waits with scattered deadlines (arg: the deadline, since word
// becomes the tick it woke at); the ticks are given by hand, far ahead of
// the real timer's.
KTEST(cont, timers_come_in_deadline_order_never_early) {
    cli();
    struct proc *p = fake_proc();
    ASSERT_TRUE(p != NULL);
    uint64_t base = timer_ticks() + 1000000, seed = 12345;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        uint64_t deadline = base + 1 + (seed >> 33) % 500;
        struct cont *c = fake_cont(p, deadline);
        ASSERT_TRUE(c != NULL);
        int err = event_wait_time(c, deadline);
        if (err)
            cont_free(c);  // (nothing may leak into the suites after this one)
        ASSERT_EQ(err, 0);
    }
    EXPECT_EQ(timer_waiters(), 2000);
    EXPECT_EQ(p->waits_time, 2000);
    int delivered = 0, early = 0, late = 0;
    for (uint64_t t = base; t <= base + 501; t++) {
        event_tick(t);
        for (struct cont *c; (c = sched_pick()) != NULL; delivered++) {
            early += c->arg > t;
            late += c->arg < t;  // it should have come at an earlier tick
            EXPECT_EQ(c->word, t);
            cont_free(c);
        }
    }
    EXPECT_EQ(delivered, 2000);
    EXPECT_EQ(early, 0);
    EXPECT_EQ(late, 0);
    EXPECT_EQ(timer_waiters(), 0);
    EXPECT_EQ(p->waits_time, 0);
    EXPECT_EQ(timer_heap_bytes(), 0);  // the array goes when the heap empties
    kfree(p);
    sti();
}

KTEST(cont, process_end_delivered_once_and_at_once_if_ended) {
    cli();
    struct proc *p = fake_proc();
    struct proc_object *po = kzalloc(sizeof *po);
    ASSERT_TRUE(p && po);
    event_wait_proc(fake_cont(p, 1), po);
    event_wait_proc(fake_cont(p, 2), po);
    EXPECT_EQ(p->waits_proc, 2);
    EXPECT_TRUE(sched_pick() == NULL);  // nothing before the end
    po->status.state = PROC_KILLED;
    event_proc_ended(po);
    EXPECT_EQ(p->waits_proc, 0);
    struct cont *x = sched_pick(), *y = sched_pick();
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->word, PROC_KILLED);
    EXPECT_EQ(y->word, PROC_KILLED);
    cont_free(x), cont_free(y);
    event_proc_ended(po);  // a second end delivers nothing more
    EXPECT_TRUE(sched_pick() == NULL);
    event_wait_proc(fake_cont(p, 3), po);  // it has ended: at once
    x = sched_pick();
    ASSERT_TRUE(x != NULL);
    EXPECT_EQ(x->arg, 3);
    EXPECT_EQ(x->word, PROC_KILLED);
    cont_free(x);
    kfree(po), kfree(p);
    sti();
}

KTEST(cont, cancel_frees_one_programs_waits_and_no_other) {
    cli();
    struct proc *a = fake_proc(), *b = fake_proc();
    struct proc_object *po = kzalloc(sizeof *po);
    ASSERT_TRUE(a && b && po);
    uint64_t live = cont_live_count(), base = timer_ticks() + 1000000;
    for (int i = 0; i < 300; i++) {
        struct cont *c = fake_cont(i % 3 == 0 ? b : a, base + 1 + i % 7);
        if (event_wait_time(c, base + 1 + i % 7) != 0)
            cont_free(c);  // (nothing may leak into the suites after this one)
    }
    event_wait_proc(fake_cont(a, 0), po);
    event_wait_proc(fake_cont(b, 0), po);
    struct cont *in = fake_cont(a, 0);
    if (event_wait_input(in) != 0)
        cont_free(in);
    EXPECT_EQ(cont_live_count(), live + 303);
    event_cancel(a);
    EXPECT_EQ(cont_live_count(), live + 101);  // b's 100 timers and its process wait
    EXPECT_EQ(timer_waiters(), 100);
    EXPECT_EQ(a->waits_time + a->waits_proc + a->waits_input, 0);
    event_tick(base + 100);  // b's timers all come, in order
    int n = 0;
    uint64_t last = 0;
    bool ordered = true;
    for (struct cont *c; (c = sched_pick()) != NULL; n++) {
        ordered = ordered && c->proc == b && c->arg >= last;
        last = c->arg;
        cont_free(c);
    }
    EXPECT_EQ(n, 100);
    EXPECT_TRUE(ordered);
    event_cancel(b);
    EXPECT_EQ(cont_live_count(), live);
    kfree(po), kfree(a), kfree(b);
    sti();
}

// The same paths run with 1 program and with 1,000 (each waits a tick,
// then ends): what a waiting program costs is a record, never stack. The
// figures may differ by what the allocators meet on the way (a slab or a
// record page taken from the frame allocator is a few calls deeper), which
// depends on what earlier tests left, not on the number of programs: a
// fresh boot (make bench LAB=6) gives the same figure for both.
KTEST(cont, kernel_stack_depth_is_the_same_with_1_and_1000_programs) {
    ktest_set_timeout(60 * TIMER_HZ);
    uint64_t live = cont_live_count();
    uint64_t one = kstack_depth_running("sleeper", 1);
    uint64_t many = kstack_depth_running("sleeper", 1000);
    kprintf("# kernel stack high-water mark: %lu bytes with 1 program, %lu with 1,000\n", one,
            many);
    EXPECT_TRUE(one > 0);
    EXPECT_TRUE(many <= one + 64 && one <= many + 64);
    EXPECT_TRUE(many < 4096);  // a thread per program would need 1,000 stacks
    EXPECT_EQ(cont_live_count(), live);
}

// One byte arrives as from the keyboard: the UART in loopback mode (its
// transmitter wired to its own receiver) takes it, and its receive
// interrupt runs event.c's handler. False if it did not come in time.
static bool byte_arrives(char byte) {
    const uint16_t com1 = 0x3F8;
    outb(com1 + 4, 0x1B);  // modem control: loopback, OUT2, DTR, RTS
    outb(com1, (uint8_t)byte);
    uint64_t before = input_available();
    sti();
    for (int i = 0; i < 50 && input_available() == before; i++)
        hlt();  // the next interrupt: the UART's, or a tick
    cli();
    outb(com1 + 4, 0x0B);  // back to normal: OUT2, DTR, RTS
    return input_available() > before;
}

// Bytes typed faster than anyone reads them: the buffer keeps the first
// INPUT_BUFFER in order and drops the rest (writing on would run past
// the ring, or over its oldest bytes).
KTEST(cont, a_full_input_buffer_drops_what_comes) {
    cli();
    char drop[64];
    while (input_read(drop, sizeof drop) > 0)
        ;
    for (int i = 0; i < INPUT_BUFFER; i++)
        ASSERT_TRUE(byte_arrives((char)(i % 251)));
    const uint16_t com1 = 0x3F8;
    outb(com1 + 4, 0x1B);  // loopback: eight more, read and dropped by the handler
    for (int i = 0; i < 8; i++) {
        outb(com1, 0xEE);
        sti();
        for (int wait = 0; wait < 50 && (inb(com1 + 5) & 1); wait++)
            hlt();  // until the handler has read it (line status: no data ready)
        cli();
        EXPECT_EQ(inb(com1 + 5) & 1, 0);
    }
    outb(com1 + 4, 0x0B);
    EXPECT_EQ(input_available(), INPUT_BUFFER);
    int in_order = 0;
    char buf[INPUT_BUFFER];
    EXPECT_EQ(input_read(buf, sizeof buf), INPUT_BUFFER);
    for (int i = 0; i < INPUT_BUFFER; i++)
        in_order += buf[i] == (char)(i % 251);
    EXPECT_EQ(in_order, INPUT_BUFFER);
    EXPECT_EQ(input_available(), 0);
    sti();
}

// A waiter is woken once and leaves the list: a second wake-up (here a
// second waiter finding bytes already buffered) must not deliver the
// first one again, whatever the timing of the bytes typed at a keyboard.
KTEST(cont, an_input_waiter_is_woken_once) {
    cli();
    struct proc *a = fake_proc();
    ASSERT_TRUE(a);
    uint64_t live = cont_live_count();
    char drop[64];
    while (input_read(drop, sizeof drop) > 0)
        ;  // nothing typed before counts
    struct cont *first = fake_cont(a, 1);
    ASSERT_EQ(event_wait_input(first), 0);
    ASSERT_TRUE(byte_arrives('x'));
    EXPECT_EQ(a->waits_input, 0);
    EXPECT_TRUE(sched_pick() == first);
    EXPECT_TRUE(sched_pick() == NULL);
    struct cont *second = fake_cont(a, 2);  // bytes are buffered: woken at once
    ASSERT_EQ(event_wait_input(second), 0);
    EXPECT_EQ(a->waits_input, 0);
    int woken = 0;
    for (struct cont *c; (c = sched_pick()) != NULL && woken < 4; woken++)
        ;  // the second; the first again would be a mistake
    EXPECT_EQ(woken, 1);
    event_cancel(a);
    cont_free(first), cont_free(second);
    EXPECT_EQ(cont_live_count(), live);
    while (input_read(drop, sizeof drop) > 0)
        ;
    kfree(a);
    sti();
}
