// cont.h: continuations, the only kind of work the kernel runs.
//
// A continuation is a function of a program and two words: when the
// dispatcher runs it, the program is entered at its ELF entry point with
// rdi = fn, rsi = arg and rdx = value (what the event it waited for
// delivered), on its one user stack reset to the top (user/lib/start.S
// then calls fn(arg, value)). It runs to completion: it returns (the
// system call cont_return), exits, or is killed. Nothing is kept for it on
// any kernel stack; a continuation that waits is this record and nothing
// else.
//
// Where a record is at any time (exactly one place):
//   in a program's ready queue      runnable, FIFO per program (sched.c)
//   in the timer heap               waiting for a deadline (event.c)
//   on the input waiters list       waiting for console input (event.c)
//   on the process waiters list     waiting for a process's end (event.c)
// or free in the pool (contpool.c).
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct proc_object;

enum cont_wait {
    WAIT_NONE,   // runnable (or about to be)
    WAIT_TIME,   // word: the deadline, in timer ticks
    WAIT_INPUT,  // console input
    WAIT_PROC,   // word: the struct proc_object whose end it waits for
};

// clang-format off
// 48 bytes: a blocked continuation costs the kernel this and, in the timer
// heap, one pointer (docs/06-continuations.md compares Mach's 690 bytes).
struct cont {
    struct cont *next;   // the list or queue it is on
    struct proc *proc;   // whose it is
    uint64_t fn, arg;    // what to run: fn(arg, value) in the program
    uint64_t word;       // while waiting: the deadline or the object;
                         // once runnable: the value handed to fn
    uint32_t wait;       // enum cont_wait
    uint32_t index;      // WAIT_TIME: its place in the timer heap
};
// clang-format on

// --- The record pool (contpool.c). -----------------------------------------
// Records come from pages of their own, 85 to a page; a page goes back to
// the frame allocator when its last record is freed, so nothing stays
// allocated after the programs end (one empty page is kept for reuse
// until cont_pool_trim). NULL when memory runs out.
struct cont *cont_alloc(void);
void cont_free(struct cont *c);
void cont_pool_trim(void);       // give back the empty page kept for reuse
uint64_t cont_live_count(void);  // records allocated now (run: done reports it)
uint64_t cont_pool_pages(void);  // pages the pool holds now
// A record for the running program, with fn and arg (contsys.c; final/'s
// channel.c too): NULL and *err (E_LIMIT, E_NOMEM) when none.
struct cont *cont_new_for_caller(uint64_t fn, uint64_t arg, int *err);

// --- The run queue and the dispatcher (sched.c). ---------------------------
// Make c runnable: append it to its program's queue, and the program to
// the round-robin list if it was not there. Safe in an interrupt handler
// (interrupts are off whenever the dispatcher or a system call runs).
void sched_ready(struct cont *c);
// Take the next continuation to run (one per program per turn), or NULL.
struct cont *sched_pick(void);
// Drop p from the round-robin list (its records are freed by the caller).
void sched_forget(struct proc *p);
// The dispatcher: on the top of the one kernel stack, run continuations
// until none is left, halting while there is nothing to do. Never returns
// to its caller: sched_restart (restart.asm) throws the stack away first.
_Noreturn void sched_loop(void);
_Noreturn void sched_restart(void);  // reset rsp to the stack top, then sched_loop
// From the boot stack (run=, tests, benchmarks): run the dispatcher until
// no program is left, then come back here.
void sched_run_until_idle(void);
// A watcher of the dispatcher (final/'s trace.c sets it): called with each
// record the dispatcher is about to enter. NULL, the default, costs a test
// on a path that makes calls anyway.
extern void (*sched_watch)(struct cont *c);
// final/ (channel.c): what a record that is to receive a message as it
// starts (still marked with a wait when dispatched; index: its handle)
// gets: the message goes on top of the stack at rsp; returns the new rsp
// and sets *value. NULL before final/.
struct proc;
extern uint64_t (*sched_deliver)(struct proc *p, uint32_t index, uint64_t rsp, uint64_t *value);
// Enter p at rsp as a continuation fn(arg, value) (what the dispatcher
// does for a record); true when nothing is runnable.
_Noreturn void sched_enter(struct proc *p, uint64_t rsp, uint64_t fn, uint64_t arg, uint64_t value);
bool sched_idle(void);

// The time budget: a continuation that runs longer than this is killed
// (`budget=N` on the command line, in ms; default CONT_BUDGET_MS).
#define CONT_BUDGET_MS 50
extern uint64_t budget_ticks;
void sched_init(void);
// The timer's hook: count the tick against the running continuation when
// it interrupted it in user mode; kill its program when over budget.
struct trapframe;
void sched_check_budget(struct trapframe *tf);
extern uint64_t cont_ticks;  // ticks that found the running continuation in user mode

// The one kernel stack's deepest use (kstack.c): fill it with a pattern,
// later see how much of it was written. Only from the boot stack.
void kstack_fill(void);
uint64_t kstack_highwater(void);                            // bytes, from the top
uint64_t kstack_depth_running(const char *program, int n);  // bytes, 0: no such program

// --- Events (event.c). ------------------------------------------------------
void event_init(void);
// Each registers c (fn and arg set by the caller) to become runnable when
// its event comes. 0, or E_NOMEM (the timer heap could not grow).
int event_wait_time(struct cont *c, uint64_t deadline);
int event_wait_input(struct cont *c);
void event_wait_proc(struct cont *c, struct proc_object *po);
// The timer tick: every waiter whose deadline has come becomes runnable.
void event_tick(uint64_t now);
// A process ended (po->status is set): its waiters become runnable.
void event_proc_ended(struct proc_object *po);
// The last capability to po is gone: its waiters get E_BADHANDLE.
void event_proc_object_gone(struct proc_object *po);
// p is ending: free every record it has waiting anywhere.
void event_cancel(struct proc *p);
// Console input (the serial port's receive interrupt fills a buffer of
// INPUT_BUFFER bytes; a byte that comes when it is full is dropped).
#define INPUT_BUFFER 1024
uint64_t input_read(char *buf, uint64_t len);  // what is buffered, up to len
uint64_t input_available(void);
uint64_t timer_waiters(void);     // for tests and benchmarks
uint64_t timer_heap_bytes(void);  // the heap array's size
extern uint64_t last_tick_tsc;    // the TSC when the last tick's hook ran
