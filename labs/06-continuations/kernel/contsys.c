// contsys.c: the continuation system calls (lab 06).
//
//   cont_return(value)          the running continuation is done: 0 for
//                               nothing more, non-zero ends the program
//                               with that code (negative: an error)
//   cont_queue(fn, arg)         run fn(arg, 0) later
//   wait_time(ticks, fn, arg)   run fn(arg, now) once `ticks` ticks passed
//   wait_input(console, fn, arg)  run fn(arg, bytes buffered) on input
//   wait_proc(handle, fn, arg)  run fn(arg, state) when that process ends
//   read(console, buf, len)     the buffered input, up to len bytes; never waits
//
// Each checks its arguments, takes a record from the pool and hands it to
// the run queue (sched.c) or to the event it waits for (event.c). A record
// never runs before the continuation that made it has returned: the
// dispatcher runs one continuation at a time, to its end.
//
// Relies on cont, sched, event, proc (current_proc), cap (handles),
// uaccess (read's buffer), timer (deadlines). The trace.h hooks do nothing
// here; final/'s trace records with them.
#include "abi.h"
#include "cap.h"
#include "console.h"
#include "cont.h"
#include "kprintf.h"
#include "proc.h"
#include "syscall.h"
#include "timer.h"
#include "trace.h"
#include "uaccess.h"

#define MAX_WAIT_TICKS (1ul << 32)  // about 16 months at 100 Hz

// A record for the caller, with fn and arg (cont.h).
struct cont *cont_new_for_caller(uint64_t fn, uint64_t arg, int *err) {
    struct proc *p = current_proc;
    if (p->conts >= PROC_MAX_CONTS) {
        *err = E_LIMIT;
        return NULL;
    }
    struct cont *c = cont_alloc();
    if (!c) {
        *err = E_NOMEM;
        return NULL;
    }
    c->proc = p;
    c->fn = fn;
    c->arg = arg;
    p->conts++;
    return trace_new(c);  // c itself (a tail call when recording: nothing kept)
}

static void drop_cont(struct cont *c) {
    c->proc->conts--;
    cont_free(c);
}

static int64_t sys_cont_return(uint64_t value, uint64_t unused1, uint64_t unused2,
                               uint64_t unused3) {
    struct proc *p = current_proc;
    if ((int64_t)value < 0)
        kprintf("proc %d %s: a continuation returned error %ld\n", p->pid, p->name, (int64_t)value);
    if (value != 0)
        proc_exit_current((int64_t)value);
    if (!p->ready_head && p->waits_time + p->waits_input + p->waits_proc + p->waits_msg == 0)
        proc_exit_current(0);  // nothing queued, nothing waiting: done
    trace_end(p, 0);           // (otherwise its program's exit says it)
    current_proc = NULL;
    sched_restart();
}
SYSCALL(SYS_CONT_RETURN, sys_cont_return);

static int64_t sys_cont_queue(uint64_t fn, uint64_t arg, uint64_t unused1, uint64_t unused2) {
    int err;
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    sched_ready(c);
    return 0;
}
SYSCALL(SYS_CONT_QUEUE, sys_cont_queue);

static int64_t sys_wait_time(uint64_t ticks, uint64_t fn, uint64_t arg, uint64_t unused) {
    // LAB 6: BEGIN SOLUTION
    if (ticks > MAX_WAIT_TICKS)
        return E_INVAL;
    int err;
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    uint64_t deadline = timer_ticks() + ticks;
    err = event_wait_time(c, deadline);
    if (err)
        drop_cont(c);
    else
        trace_wait(c, WAIT_TIME, deadline);
    return err;
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)ticks, (void)fn, (void)arg, (void)drop_cont;
    // LAB 6: STUB return E_NOSYS;   /* lab 6: sys_wait_time not written yet (kernel/contsys.c) */
}
SYSCALL(SYS_WAIT_TIME, sys_wait_time);

static int64_t sys_wait_input(uint64_t console, uint64_t fn, uint64_t arg, uint64_t unused) {
    // LAB 6: BEGIN SOLUTION
    struct cap *cap;
    int err = cap_lookup(&current_proc->caps, console, OBJ_CONSOLE, CAP_READ, &cap);
    if (err)
        return err;
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    trace_wait(c, WAIT_INPUT, 0);  // before: input may be here already
    err = event_wait_input(c);
    if (err)
        drop_cont(c);
    return err;
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)console, (void)fn, (void)arg;
    // LAB 6: STUB return E_NOSYS;   /* lab 6: sys_wait_input not written yet (kernel/contsys.c) */
}
SYSCALL(SYS_WAIT_INPUT, sys_wait_input);

static int64_t sys_wait_proc(uint64_t handle, uint64_t fn, uint64_t arg, uint64_t unused) {
    struct cap *cap;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_PROCESS, CAP_READ, &cap);
    if (err)
        return err;
    struct cont *c = cont_new_for_caller(fn, arg, &err);
    if (!c)
        return err;
    struct proc_object *po = (struct proc_object *)cap->obj;
    trace_wait(c, WAIT_PROC, (uint64_t)po->pid);  // before: it may have ended
    event_wait_proc(c, po);
    return 0;
}
SYSCALL(SYS_WAIT_PROC, sys_wait_proc);

// read(console, buf, len): the handle first, then the buffer, then the bytes.
static int64_t sys_read(uint64_t console, uint64_t buf, uint64_t len, uint64_t unused) {
    // LAB 6: BEGIN SOLUTION
    struct cap *cap;
    int err = cap_lookup(&current_proc->caps, console, OBJ_CONSOLE, CAP_READ, &cap);
    if (err)
        return err;
    err = check_user_range(current_proc->root, buf, len, true);
    if (err)
        return err;
    char chunk[256];
    uint64_t done = 0;
    while (done < len) {
        uint64_t want = len - done < sizeof chunk ? len - done : sizeof chunk;
        uint64_t got = input_read(chunk, want);
        if (got == 0)
            break;
        copy_to_user(current_proc->root, buf + done, chunk, got);
        done += got;
    }
    return (int64_t)done;
    // LAB 6: END SOLUTION
    // LAB 6: STUB (void)console, (void)buf, (void)len;
    // LAB 6: STUB return E_NOSYS;   /* lab 6: sys_read not written yet (kernel/contsys.c) */
}
SYSCALL(SYS_READ, sys_read);
