// procrun.c: starting a program and ending it (lab 06; lab 05's ran it
// to its end inside proc_run).
//
// A process runs as continuations (cont.h, sched.c). Starting it queues
// one, main; ending it (exit, an error returned, a kill, or nothing left
// to run or wait for) frees every record it has, tells the programs
// waiting for its end, and frees the process. Nothing of it is ever on a
// kernel stack, so ending it is only freeing memory: the kernel then goes
// back to its dispatcher, on the top of the one kernel stack.
#include "abi.h"
#include "cont.h"
#include "heap.h"
#include "kprintf.h"
#include "kvm.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "x86.h"

static uint64_t live_procs;  // started and not yet ended
bool proc_quiet;             // tests and benchmarks: no line for an exit with 0

// final/'s hooks (its list of live programs, its trace, its channel
// waits); NULL in lab 06. proc_started sees main's record before it is
// queued; proc_ending sees a program end before anything of it is freed.
void (*proc_started)(struct proc *p, struct cont *main);
void (*proc_ending)(struct proc *p, int state, int64_t code);

uint64_t proc_live_count(void) { return live_procs; }

// main is a continuation like any other: fn 0 tells start.S to call
// libc_start(ncaps, caps) instead of fn(arg, value).
int proc_start(struct proc *p) {
    struct cont *c = cont_alloc();
    if (!c)
        return E_NOMEM;
    *c = (struct cont){.proc = p, .fn = 0, .arg = p->start_args[0], .word = p->start_args[1]};
    p->conts = 1;
    uint64_t flags = read_rflags();  // the boot stack's callers run with interrupts on
    cli();
    live_procs++;
    if (proc_started)
        proc_started(p, c);
    sched_ready(c);
    if (flags & RFLAGS_IF)
        sti();
    return 0;
}

int64_t proc_run(struct proc *p) {
    int64_t result = -1;
    p->result = &result;
    if (proc_start(p) != 0) {
        kprintf("proc - %s: rejected: out of memory\n", p->name);
        proc_free(p);
        return -1;
    }
    sched_run_until_idle();
    return result;
}

void proc_end(struct proc *p, int state, int64_t code, const char *reason) {
    if (proc_ending)
        proc_ending(p, state, code);
    if (state == PROC_EXITED) {
        if (!proc_quiet || code != 0)
            kprintf("proc %d %s: exit %ld\n", p->pid, p->name, code);
    } else
        kprintf("proc %d %s: killed: %s\n", p->pid, p->name, reason);
    if (p->result)
        *p->result = state == PROC_EXITED ? code : -1;
    if (current_proc == p) {
        current_proc = NULL;
        paging_activate(kernel_root);  // its page tables are about to go
    }
    // Its records first: nothing of it may run or be delivered to after this.
    sched_forget(p);
    while (p->ready_head) {
        struct cont *c = p->ready_head;
        p->ready_head = c->next;
        cont_free(c);
    }
    p->ready_tail = NULL;
    event_cancel(p);
    live_procs--;
    // Then the programs waiting for its end.
    struct proc_object *po = p->object;
    if (po) {
        po->status = (struct proc_status){.state = state, .code = code};
        if (reason)
            strlcpy(po->status.reason, reason, sizeof po->status.reason);
        po->proc = NULL;
        event_proc_ended(po);
    }
    proc_free(p);
}

// Lab 06: a spawned child's main is queued, and spawn returns at once.
// Only the moves of its capabilities cannot be undone by now, so when
// there is no record for main the child ends before it starts, killed.
void proc_launch(struct proc *p) {
    struct proc_object *po = p->object;
    po->proc = p;
    if (proc_start(p) != 0) {
        kprintf("proc - %s: rejected: out of memory\n", p->name);
        po->status = (struct proc_status){.state = PROC_KILLED, .code = -1};
        strlcpy(po->status.reason, "out of memory at start", sizeof po->status.reason);
        po->proc = NULL;
        proc_free(p);
    }
}

// The last capability to a process object is gone: the process (if it
// still runs) no longer has anyone to tell, and waiters get E_BADHANDLE.
void proc_object_release(struct object *obj) {
    struct proc_object *po = (struct proc_object *)obj;
    if (po->proc)
        po->proc->object = NULL;
    event_proc_object_gone(po);
    kfree(po);
}

_Noreturn void proc_exit_current(int64_t code) {
    proc_end(current_proc, PROC_EXITED, code, NULL);
    sched_restart();
}

_Noreturn void proc_kill_current(const char *reason) {
    proc_end(current_proc, PROC_KILLED, -1, reason);
    sched_restart();
}

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    proc_exit_current((int64_t)code);  // the ABI: a signed 64-bit code
}
SYSCALL(SYS_EXIT, sys_exit);
