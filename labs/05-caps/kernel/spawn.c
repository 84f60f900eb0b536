// spawn.c: the process system calls: spawn a child with some of the
// caller's capabilities, and read a finished child's status.
//
// Owns: process objects (what a process capability names: the child's
// pid and status, kept after the child is gone). Relies on proc (loading
// and running), cap (checking and handing on capabilities), run.c (the
// boot modules), uaccess (the arguments).
//
// Spawn is all or nothing for the caller: every check and every
// allocation happens before anything changes hands, and a move is a copy
// until the end (cap_replace), so a failed spawn leaves every capability
// the caller had as it was, and leaks nothing. Then proc_launch (proc.c)
// sets the child going: in lab 05 it runs to its end inside this call; from
// lab 06 its first continuation is queued and spawn returns at once.
#include "abi.h"
#include "cap.h"
#include "heap.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "uaccess.h"

// Each handle a live capability of the caller's with CAP_GRANT; a moved
// one listed once. src[i] gets the capability behind given[i].
static int check_given(struct cap_table *t, const struct spawn_cap *given, uint64_t n,
                       struct cap **src) {
    // LAB 5: BEGIN SOLUTION
    for (uint64_t i = 0; i < n; i++) {
        if (given[i].flags & ~(uint64_t)SPAWN_MOVE)
            return E_INVAL;
        int err = cap_lookup(t, given[i].handle, 0, CAP_GRANT, &src[i]);
        if (err)
            return err;
    }
    for (uint64_t i = 0; i < n; i++)
        for (uint64_t j = 0; j < n; j++)
            if (i != j && src[i] == src[j] && (given[i].flags & SPAWN_MOVE))
                return E_INVAL;  // moved away and also given again
    return 0;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)t, (void)given, (void)n, (void)src;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: check_given not written yet */
}

// Copy every given capability into the child's slots 0..n-1, then finish
// the moves. Only the copies can fail; the child's table undoes them.
static int hand_on(struct proc *child, const struct spawn_cap *given, uint64_t n,
                   struct cap **src) {
    // LAB 5: BEGIN SOLUTION
    uint64_t handles[SPAWN_MAX_CAPS];
    struct cap *copies[SPAWN_MAX_CAPS];
    int err = cap_reserve(&child->caps, (uint32_t)n);
    if (err)
        return err;
    for (uint64_t i = 0; i < n; i++) {
        int64_t h = cap_copy_to(src[i], &child->caps);
        if (h < 0)
            return (int)h;
        handles[i] = (uint64_t)h;
        cap_lookup(&child->caps, handles[i], 0, 0, &copies[i]);
    }
    for (uint64_t i = 0; i < n; i++) {  // nothing can fail from here on
        bool move = given[i].flags & SPAWN_MOVE;
        if (move)
            cap_replace(src[i], copies[i]);
        // final/'s trace notes each capability handed on (trace.h: nothing before)
        trace_cap(child, current_proc, move ? TRACE_HOW_SPAWN_MOVE : TRACE_HOW_SPAWN, copies[i]);
    }
    proc_set_start_handles(child, handles, (int)n);
    return 0;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)child, (void)given, (void)n, (void)src;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: hand_on not written yet */
}

// A process object and the caller's capability to it (SPAWN_PROC_RIGHTS,
// abi.h: READ, its status; GRANT, it may be handed on): the handle, or an
// error with nothing made.
static int64_t new_process_cap(struct cap_table *t, struct proc_object **out) {
    // LAB 5: BEGIN SOLUTION
    struct proc_object *po = kzalloc(sizeof *po);
    if (!po)
        return E_NOMEM;
    po->obj.type = OBJ_PROCESS;
    int64_t handle = cap_create(t, &po->obj, SPAWN_PROC_RIGHTS, 0, 0);
    if (handle < 0)
        kfree(po);
    *out = po;
    return handle;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)t, (void)out;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: new_process_cap not written yet */
}

int64_t sys_spawn(uint64_t uname, uint64_t name_len, uint64_t ucaps, uint64_t n) {
    // LAB 5: BEGIN SOLUTION
    struct proc *parent = current_proc;
    char name[64];
    struct spawn_cap given[SPAWN_MAX_CAPS];
    struct cap *src[SPAWN_MAX_CAPS];
    if (name_len == 0 || name_len >= sizeof name || n > SPAWN_MAX_CAPS)
        return E_INVAL;
    if (copy_from_user(parent->root, name, uname, name_len) != 0 ||
        (n && copy_from_user(parent->root, given, ucaps, n * sizeof given[0]) != 0))
        return E_FAULT;
    name[name_len] = '\0';
    if (strlen(name) != name_len)
        return E_INVAL;  // a NUL inside the name
    int err = check_given(&parent->caps, given, n, src);
    if (err)
        return err;
    if (parent->depth + 1 > PROC_MAX_DEPTH)
        return E_LIMIT;
    uint64_t size;
    const uint8_t *file = find_program(name, &size);
    if (!file)
        return E_NOENT;
    struct proc_object *po;
    int64_t handle = new_process_cap(&parent->caps, &po);
    if (handle < 0)
        return handle;
    struct proc *child = proc_load_err(name, file, size, &err);
    if (child && (err = hand_on(child, given, n, src)) != 0)
        proc_free(child);
    if (!child || err) {
        cap_drop(&parent->caps, (uint64_t)handle);
        return err;
    }
    child->object = po;
    child->depth = parent->depth + 1;
    po->pid = child->pid;
    proc_launch(child);
    return handle;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)uname, (void)name_len, (void)ucaps, (void)n;
    // LAB 5: STUB (void)check_given, (void)hand_on, (void)new_process_cap;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: spawn not written yet */
}
SYSCALL(SYS_SPAWN, sys_spawn);

int64_t sys_proc_status(uint64_t handle, uint64_t out, uint64_t unused1, uint64_t unused2) {
    // LAB 5: BEGIN SOLUTION
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_PROCESS, CAP_READ, &c);
    if (err)
        return err;
    struct proc_object *po = (struct proc_object *)c->obj;
    return copy_to_user(current_proc->root, out, &po->status, sizeof po->status);
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)handle, (void)out;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: proc_status not written yet */
}
SYSCALL(SYS_PROC_STATUS, sys_proc_status);
