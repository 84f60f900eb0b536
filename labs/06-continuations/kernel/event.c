// event.c: events, and the continuations waiting for them.
//
// Owns: the timer heap, the console input buffer and its waiters, the
// waiters for processes' ends. An event only ever turns waiting records
// into runnable ones (sched_ready); nothing here runs a program. The
// interrupt handlers (the timer's tick, the serial port's receive
// interrupt) call in with interrupts off, and so does every system call,
// so no lock is needed on a single CPU.
//
// An event's path, from the wire to a program:
//
//   byte on COM1 -> IRQ 4 -> input_interrupt: buffer it, move every
//   input waiter to its program's ready queue (value: bytes buffered)
//   -> the dispatcher picks it -> the program runs fn(arg, value) and
//   reads the bytes with console_read.
//
// Timers: a binary min-heap of records keyed by deadline (c->word), in an
// array that doubles as it fills and is freed when it empties, each record
// knowing its index. A wait is O(log n), a delivery O(log n), so 100,000
// waiters cost nothing per tick but the ones due. Deadlines are absolute
// ticks: a wait of n ticks made at tick t is delivered at tick t + n or
// later, never before.
//
// Relies on sched (sched_ready), cont (records), proc (counts per program,
// process objects), heap (the timer array), serial's port (the UART).
#include "abi.h"
#include "cont.h"
#include "heap.h"
#include "irqs.h"
#include "panic.h"
#include "pic.h"
#include "proc.h"
#include "string.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"

static struct cont **timers;  // the heap: timers[0] has the earliest deadline
static uint64_t ntimers, timer_capacity;
static struct cont *input_waiters;  // a list, by c->next
static struct cont *proc_waiters;   // a list, by c->next; c->word: the object

static char input_buffer[INPUT_BUFFER];
static uint64_t input_head, input_count;  // a ring: the oldest byte at head

uint64_t timer_waiters(void) { return ntimers; }
uint64_t timer_heap_bytes(void) { return timer_capacity * sizeof *timers; }

// --- The timer heap. ---------------------------------------------------------

// LAB 6: BEGIN SOLUTION
static void heap_set(uint64_t i, struct cont *c) {
    timers[i] = c;
    c->index = (uint32_t)i;
}

// Room for one more; the array doubles (and is freed in pop when empty).
static int heap_grow(void) {
    if (ntimers < timer_capacity)
        return 0;
    uint64_t capacity = timer_capacity ? 2 * timer_capacity : 64;
    struct cont **bigger = kmalloc(capacity * sizeof *bigger);
    if (!bigger)
        return E_NOMEM;
    if (timers) {
        memcpy(bigger, timers, ntimers * sizeof *bigger);
        kfree(timers);
    }
    timers = bigger;
    timer_capacity = capacity;
    return 0;
}

static void heap_release_if_empty(void) {
    if (ntimers == 0 && timers) {
        kfree(timers);
        timers = NULL;
        timer_capacity = 0;
    }
}

static void sift_up(uint64_t i) {
    struct cont *c = timers[i];
    while (i > 0 && timers[(i - 1) / 2]->word > c->word) {
        heap_set(i, timers[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(i, c);
}

static void sift_down(uint64_t i) {
    struct cont *c = timers[i];
    for (;;) {
        uint64_t child = 2 * i + 1;
        if (child >= ntimers)
            break;
        if (child + 1 < ntimers && timers[child + 1]->word < timers[child]->word)
            child++;
        if (timers[child]->word >= c->word)
            break;
        heap_set(i, timers[child]);
        i = child;
    }
    heap_set(i, c);
}

int event_wait_time(struct cont *c, uint64_t deadline) {
    if (heap_grow() != 0)
        return E_NOMEM;
    c->wait = WAIT_TIME;
    c->word = deadline;
    heap_set(ntimers++, c);
    sift_up(ntimers - 1);
    c->proc->waits_time++;
    return 0;
}

void event_tick(uint64_t now) {
    while (ntimers > 0 && timers[0]->word <= now) {
        struct cont *c = timers[0];
        if (--ntimers > 0) {
            heap_set(0, timers[ntimers]);
            sift_down(0);
        }
        c->proc->waits_time--;
        c->word = now;  // what the continuation is told: the tick it woke at
        sched_ready(c);
    }
    heap_release_if_empty();
}
// LAB 6: END SOLUTION
// LAB 6: STUB /* lab 6: the timer heap is not written yet (kernel/event.c): */
// LAB 6: STUB /* timers[] in deadline order (c->word), each record's place in */
// LAB 6: STUB /* c->index; the array doubles from 64 and is freed when empty */
// LAB 6: STUB int event_wait_time(struct cont *c, uint64_t deadline) {
// LAB 6: STUB     (void)c, (void)deadline, (void)timers;
// LAB 6: STUB     return E_NOSYS;
// LAB 6: STUB }
// LAB 6: STUB void event_tick(uint64_t now) { (void)now; }

// --- Console input. ------------------------------------------------------------

#define COM1             0x3F8
#define UART_INT_ENABLE  1
#define UART_MODEM_CTRL  4
#define UART_LINE_STATUS 5
#define IER_RX_READY     0x01
#define MCR_DTR_RTS_OUT2 0x0B  // OUT2 connects the UART's interrupt to the PIC
#define LSR_DATA_READY   0x01

// Every waiter becomes runnable, told how many bytes are buffered.
static void wake_input_waiters(void) {
    // LAB 6: BEGIN SOLUTION
    while (input_waiters) {
        struct cont *c = input_waiters;
        input_waiters = c->next;
        c->proc->waits_input--;
        c->word = input_count;
        sched_ready(c);
    }
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)input_waiters;
}

int event_wait_input(struct cont *c) {
    // LAB 6: BEGIN SOLUTION
    c->wait = WAIT_INPUT;
    c->next = input_waiters;
    input_waiters = c;
    c->proc->waits_input++;
    if (input_count > 0)
        wake_input_waiters();  // bytes are here already: at once
    return 0;
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)c;
    // LAB 6: STUB return E_NOSYS; /* lab 6: event_wait_input not written yet (kernel/event.c) */
}

static void input_interrupt(struct trapframe *tf) {
    // LAB 6: BEGIN SOLUTION
    bool got = false;
    while (inb(COM1 + UART_LINE_STATUS) & LSR_DATA_READY) {
        char byte = (char)inb(COM1);
        if (input_count < INPUT_BUFFER)  // a full buffer drops what comes
            input_buffer[(input_head + input_count++) % INPUT_BUFFER] = byte;
        got = true;
    }
    if (got)
        wake_input_waiters();
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: not written yet (kernel/event.c): this stand-in */
    // LAB 6: STUB /* reads every byte the UART has and drops it */
    // LAB 6: STUB (void)wake_input_waiters;
    // LAB 6: STUB while (inb(COM1 + UART_LINE_STATUS) & LSR_DATA_READY)
    // LAB 6: STUB     (void)inb(COM1);
}

uint64_t input_available(void) { return input_count; }

uint64_t input_read(char *buf, uint64_t len) {
    // LAB 6: BEGIN SOLUTION
    uint64_t n = 0;
    while (n < len && input_count > 0) {
        buf[n++] = input_buffer[input_head];
        input_head = (input_head + 1) % INPUT_BUFFER;
        input_count--;
    }
    return n;
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)buf, (void)len, (void)input_buffer, (void)input_head;
    // LAB 6: STUB return 0;   /* lab 6: input_read not written yet (kernel/event.c) */
}

// --- Processes' ends. ---------------------------------------------------------

// Deliver every waiter on po with `value`.
static void wake_proc_waiters(struct proc_object *po, int64_t value) {
    struct cont **link = &proc_waiters;
    while (*link) {
        struct cont *c = *link;
        if (c->word != (uint64_t)po) {
            link = &c->next;
            continue;
        }
        *link = c->next;
        c->proc->waits_proc--;
        c->word = (uint64_t)value;
        sched_ready(c);
    }
}

void event_wait_proc(struct cont *c, struct proc_object *po) {
    if (po->status.state != 0) {  // it has ended already: at once
        c->word = (uint64_t)po->status.state;
        sched_ready(c);
        return;
    }
    c->wait = WAIT_PROC;
    c->word = (uint64_t)po;
    c->next = proc_waiters;
    proc_waiters = c;
    c->proc->waits_proc++;
}

void event_proc_ended(struct proc_object *po) { wake_proc_waiters(po, po->status.state); }
void event_proc_object_gone(struct proc_object *po) { wake_proc_waiters(po, E_BADHANDLE); }

// --- A program's end: its waiting records go. ------------------------------------

// Free p's records on a list; how many.
static uint64_t cancel_on_list(struct cont **list, struct proc *p) {
    uint64_t n = 0;
    for (struct cont **link = list; *link;) {
        struct cont *c = *link;
        if (c->proc != p) {
            link = &c->next;
            continue;
        }
        *link = c->next;
        cont_free(c);
        n++;
    }
    return n;
}

void event_cancel(struct proc *p) {
    // LAB 6: BEGIN SOLUTION
    if (p->waits_time) {  // keep the others, in place, then heapify again
        uint64_t kept = 0;
        for (uint64_t i = 0; i < ntimers; i++) {
            if (timers[i]->proc == p)
                cont_free(timers[i]);
            else
                heap_set(kept++, timers[i]);
        }
        ntimers = kept;
        for (uint64_t i = ntimers / 2; i-- > 0;)
            sift_down(i);
        heap_release_if_empty();
    }
    if (p->waits_input)
        cancel_on_list(&input_waiters, p);
    p->waits_time = p->waits_input = 0;
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: its timer and input waits are not freed yet (kernel/event.c) */
    if (p->waits_proc)
        cancel_on_list(&proc_waiters, p);
    p->waits_proc = 0;
}

void event_init(void) {
    outb(COM1 + UART_INT_ENABLE, IER_RX_READY);
    outb(COM1 + UART_MODEM_CTRL, MCR_DTR_RTS_OUT2);
    irq_register(IRQ_COM1, input_interrupt);
    pic_unmask(IRQ_COM1);
}
