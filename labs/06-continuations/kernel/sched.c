// sched.c: the run queue, the dispatcher, and the time budget.
//
// Owns: which continuation runs next, and running it. There are no kernel
// threads: the dispatcher takes a runnable continuation, enters its
// program in user mode on top of the one kernel stack, and forgets it. The
// kernel is back on that stack only through an interrupt or a system call,
// which start at its top again (TSS.RSP0, userentry.asm); when the
// continuation ends, sched_restart throws away whatever was on the stack
// and starts the dispatcher afresh. So the stack's deepest use does not
// depend on how many programs exist or wait.
//
// The queue discipline (fairness): each program has its own FIFO of
// runnable continuations, and the programs that have any form a
// round-robin list. The dispatcher takes the first program off the list,
// runs the oldest continuation of that program, and puts the program back
// at the end of the list if it has more. One continuation per program per
// turn: a program that queues thousands of continuations only lengthens
// its own queue; every other program still gets a turn in every round.
//
//   run list:  [editor] -> [flooder] -> [clock] -> NULL     (programs)
//                 |           |            |
//               c1          c1 c2 ... c9000  c1             (their FIFOs)
//
// The budget: the timer's tick hook looks at the running continuation
// when the tick interrupted it in user mode, and counts that tick as its;
// one that has been found running on more than budget_ticks ticks is
// killed with its program. (A system call runs with interrupts off, so a
// tick that comes during one arrives as the call returns, and counts.)
// Ticks count interrupts, not host time: a host that stalls QEMU does not
// make a continuation overrun. Nothing else preempts.
//
// Relies on proc (programs, ending them), cont (records), event (time),
// timer (ticks), restart.asm (sched_restart), jump (sched_run_until_idle).
#include "cmdline.h"
#include "cont.h"
#include "gdt.h"
#include "jump.h"
#include "kprintf.h"
#include "panic.h"
#include "pic.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"

static struct proc *run_head, *run_tail;  // programs with runnable continuations
uint64_t cont_ticks;                      // ticks that found the running continuation in user mode
uint64_t budget_ticks = CONT_BUDGET_MS * TIMER_HZ / 1000;

// sched_run_until_idle's place on the boot stack, while the dispatcher runs.
static struct jump_point idle_return;
static bool returning_when_idle;

void (*sched_watch)(struct cont *c);  // cont.h: NULL unless tracing
uint64_t (*sched_deliver)(struct proc *p, uint32_t index, uint64_t rsp, uint64_t *value);

void sched_ready(struct cont *c) {
    // LAB 6: BEGIN SOLUTION
    struct proc *p = c->proc;
    c->next = NULL;
    c->wait = WAIT_NONE;
    if (p->ready_tail)
        p->ready_tail->next = c;
    else
        p->ready_head = c;
    p->ready_tail = c;
    if (!p->on_run_list) {
        p->on_run_list = true;
        p->run_next = NULL;
        if (run_tail)
            run_tail->run_next = p;
        else
            run_head = p;
        run_tail = p;
    }
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: not written yet (kernel/sched.c): this stand-in keeps */
    // LAB 6: STUB /* a stack per program, and programs in line, each served */
    // LAB 6: STUB /* until it has nothing runnable: no turns, no fairness. */
    // LAB 6: STUB struct proc *p = c->proc;
    // LAB 6: STUB c->next = p->ready_head;
    // LAB 6: STUB p->ready_head = c;
    // LAB 6: STUB if (!p->on_run_list) {
    // LAB 6: STUB     p->on_run_list = true;
    // LAB 6: STUB     p->run_next = NULL;
    // LAB 6: STUB     if (run_tail)
    // LAB 6: STUB         run_tail->run_next = p;
    // LAB 6: STUB     else
    // LAB 6: STUB         run_head = p;
    // LAB 6: STUB     run_tail = p;
    // LAB 6: STUB }
}

struct cont *sched_pick(void) {
    // LAB 6: BEGIN SOLUTION
    struct proc *p = run_head;
    if (!p)
        return NULL;
    run_head = p->run_next;
    if (!run_head)
        run_tail = NULL;
    p->on_run_list = false;
    struct cont *c = p->ready_head;
    p->ready_head = c->next;
    if (!p->ready_head)
        p->ready_tail = NULL;
    else {  // more to do: back of the line, behind every other program
        p->on_run_list = true;
        p->run_next = NULL;
        if (run_tail)
            run_tail->run_next = p;
        else
            run_head = p;
        run_tail = p;
    }
    c->next = NULL;
    return c;
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: not written yet (kernel/sched.c): see sched_ready */
    // LAB 6: STUB struct proc *p = run_head;
    // LAB 6: STUB if (!p)
    // LAB 6: STUB     return NULL;
    // LAB 6: STUB struct cont *c = p->ready_head;
    // LAB 6: STUB p->ready_head = c->next;
    // LAB 6: STUB if (!p->ready_head) {
    // LAB 6: STUB     sched_forget(p);
    // LAB 6: STUB     p->ready_tail = NULL;
    // LAB 6: STUB }
    // LAB 6: STUB return c;
}

void sched_forget(struct proc *p) {
    if (!p->on_run_list)
        return;
    struct proc **link = &run_head;
    struct proc *prev = NULL;
    while (*link != p) {
        prev = *link;
        link = &(*link)->run_next;
    }
    *link = p->run_next;
    if (run_tail == p)
        run_tail = prev;
    p->on_run_list = false;
}

// Enter c's program: at its ELF entry, with rdi = fn, rsi = arg, rdx =
// the value, on its user stack reset to the top. The record is freed
// first: a running continuation is not a record any more. final/: a
// record still marked with a wait after sched_ready (a message to receive
// as it starts) has sched_deliver put it on top of that stack.
static _Noreturn void run(struct cont *c) {
    struct proc *p = c->proc;
    uint64_t fn = c->fn, arg = c->arg, value = c->word;
    bool deliver = c->wait != WAIT_NONE && sched_deliver;
    uint32_t index = c->index;
    cont_free(c);
    p->conts--;
    uint64_t rsp = p->user_rsp;
    if (deliver)
        rsp = sched_deliver(p, index, rsp, &value);
    sched_enter(p, rsp, fn, arg, value);
}

_Noreturn void sched_enter(struct proc *p, uint64_t rsp, uint64_t fn, uint64_t arg,
                           uint64_t value) {
    current_proc = p;
    paging_activate(p->root);
    cont_ticks = 0;
    enter_user(p->entry, rsp, fn, arg, value);
}

bool sched_idle(void) { return run_head == NULL; }

_Noreturn void sched_loop(void) {
    for (;;) {
        cli();
        struct cont *c = sched_pick();
        if (c && __builtin_expect(sched_watch != NULL, 0))
            sched_watch(c);
        if (c)
            run(c);
        if (proc_live_count() == 0 && returning_when_idle)
            jump_back(&idle_return, 1);
        sti_hlt();  // an interrupt may make something runnable
    }
}

void sched_run_until_idle(void) {
    uint64_t flags = read_rflags();
    cli();
    if (jump_save(&idle_return) == 0) {
        returning_when_idle = true;
        sched_restart();
    }
    // Back on the boot stack: no program is left.
    returning_when_idle = false;
    write_rflags(RFLAGS_KERNEL);
    current_proc = NULL;
    paging_activate(kernel_root);
    if (flags & RFLAGS_IF)
        sti();
}

// --- The budget. ---------------------------------------------------------------

void sched_check_budget(struct trapframe *tf) {
    // LAB 6: BEGIN SOLUTION
    if ((tf->cs & 3) != 3 || !current_proc)
        return;  // only a continuation running in user mode can be over budget
    uint64_t ran = ++cont_ticks;
    if (ran <= budget_ticks)
        return;
    char reason[PROC_REASON_MAX];
    snprintf(reason, sizeof reason, "time budget exceeded (ran %lu ms, budget %lu ms)",
             ran * 1000 / TIMER_HZ, budget_ticks * 1000 / TIMER_HZ);
    // We never return from this interrupt: tell the PIC it is done now.
    pic_end_of_interrupt(0);
    proc_kill_current(reason);
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: not written yet (kernel/sched.c): this stand-in */
    // LAB 6: STUB /* kills only after 10 s, so that nothing hangs */
    // LAB 6: STUB if ((tf->cs & 3) == 3 && current_proc && ++cont_ticks > 10 * TIMER_HZ) {
    // LAB 6: STUB     pic_end_of_interrupt(0);
    // LAB 6: STUB     proc_kill_current("lab 6: sched_check_budget not written yet");
    // LAB 6: STUB }
}

uint64_t last_tick_tsc;  // for the timer_event_latency benchmark

// The tick: deliver the timers that are due, then look at the budget.
static void tick(struct trapframe *tf) {
    last_tick_tsc = rdtsc();
    event_tick(timer_ticks());
    sched_check_budget(tf);
}

// budget=N on the command line: N ms, from one tick to ten minutes; any
// other value is ignored with a line that says so.
static void read_budget(void) {
    // LAB 6: BEGIN SOLUTION
    const char *ms = cmdline_get("budget");
    if (ms) {
        uint64_t n = 0;
        const char *s = ms;
        while (*s >= '0' && *s <= '9' && n < 1000000)
            n = n * 10 + (uint64_t)(*s++ - '0');
        if (*s || n < 1000 / TIMER_HZ || n > 600000)
            kprintf("sched: budget=%s ignored (a number of ms, %d to 600000); %lu ms it is\n", ms,
                    1000 / TIMER_HZ, budget_ticks * 1000 / TIMER_HZ);
        else
            budget_ticks = n * TIMER_HZ / 1000;
    }
    // LAB 6: END SOLUTION
    // LAB 6: STUB /* lab 6: budget=N is not read yet (kernel/sched.c): 50 ms it is */
}

void sched_init(void) {
    read_budget();
    gdt_set_kernel_stack((uint64_t)user_kstack_top);
    kstack_fill();
    timer_add_tick_hook(tick);
}
CMDLINE_KEY(budget, "budget=N: a continuation may run N ms before it is killed (default 50)", NULL);
