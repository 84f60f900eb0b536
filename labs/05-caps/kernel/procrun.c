// procrun.c: running a program and ending it (lab 05).
//
// proc_run saves the kernel's place (jump_save, jump.h) and enters user
// mode; exit() and a fault jump back to that place, so a program "returns"
// to proc_run however it ends. Programs run to the end, no preemption
// (lab 06 adds time budgets). A program may spawn another (spawn.c), which
// runs inside its spawn system call, so proc_run nests: the child's entries
// from user mode use the kernel stack below its parent's current frame, and
// the parent's FPU state is kept aside. (Lab 06 replaces this file: a
// program there is a set of continuations.)
#include "abi.h"
#include "gdt.h"
#include "heap.h"
#include "kprintf.h"
#include "panic.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "x86.h"

static inline void fxsave(uint8_t *area) {
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}
static inline void fxrstor(const uint8_t *area) {
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

// Where the child's entries from user mode start: below the caller's own
// frame (with room to spare), or the top of the user-entry stack for a
// program the kernel itself runs.
static uint64_t child_kernel_stack(const struct proc *parent) {
    // LAB 5: BEGIN SOLUTION
    if (!parent)
        return (uint64_t)user_kstack_top;
    uint64_t rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    if (rsp - 1024 < (uint64_t)user_kstack)
        panic("proc: the user-entry kernel stack is too small for %d nested programs",
              parent->depth + 1);
    return (rsp - 512) & ~15ul;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)parent;   /* lab 5: stand-in: every program at the top (no nesting) */
    // LAB 5: STUB return (uint64_t)user_kstack_top;
}

int64_t proc_run(struct proc *p) {
    // LAB 5: BEGIN SOLUTION
    struct proc *parent = current_proc;
    uint64_t saved_stack = user_entry_stack;
    bool interrupts_were_on = read_rflags() & RFLAGS_IF;
    if (parent)
        fxsave(parent->fpu);  // the child starts with a clean FPU (enter_user)
    user_entry_stack = child_kernel_stack(parent);
    gdt_set_kernel_stack(user_entry_stack);
    current_proc = p;
    paging_activate(p->root);
    if (jump_save(&p->return_point) == 0)
        enter_user(p->entry, p->user_rsp, p->start_args[0], p->start_args[1], 0);
    // Back from sys_exit or a kill: on the kernel's stack again. The entry
    // paths cleared every flag a program may set (syscall.h); set the
    // kernel's own flags once more, so that nothing of the program's can
    // reach the next enter_user (an iretq with NT set faults).
    write_rflags(RFLAGS_KERNEL);
    user_entry_stack = saved_stack;
    gdt_set_kernel_stack(saved_stack);
    current_proc = parent;
    paging_activate(parent ? parent->root : kernel_root);
    if (parent)
        fxrstor(parent->fpu);
    int64_t result = p->killed ? -1 : p->exit_code;
    proc_free(p);
    if (interrupts_were_on)
        sti();
    return result;
    // LAB 5: END SOLUTION
    // LAB 5: STUB /* lab 5: stand-in: lab 04's, for a program the kernel runs: nothing */
    // LAB 5: STUB /* of a parent (its kernel stack, view, FPU) is kept or given back */
    // LAB 5: STUB (void)child_kernel_stack, (void)fxsave, (void)fxrstor;
    // LAB 5: STUB bool interrupts_were_on = read_rflags() & RFLAGS_IF;
    // LAB 5: STUB gdt_set_kernel_stack(user_entry_stack);
    // LAB 5: STUB current_proc = p;
    // LAB 5: STUB paging_activate(p->root);
    // LAB 5: STUB if (jump_save(&p->return_point) == 0)
    // LAB 5: STUB     enter_user(p->entry, p->user_rsp, p->start_args[0], p->start_args[1], 0);
    // LAB 5: STUB write_rflags(RFLAGS_KERNEL);
    // LAB 5: STUB current_proc = NULL;
    // LAB 5: STUB paging_activate(kernel_root);
    // LAB 5: STUB int64_t result = p->killed ? -1 : p->exit_code;
    // LAB 5: STUB proc_free(p);
    // LAB 5: STUB if (interrupts_were_on)
    // LAB 5: STUB     sti();
    // LAB 5: STUB return result;
}

// Lab 05: a spawned child runs to its end inside its parent's spawn.
void proc_launch(struct proc *p) { proc_run(p); }

// Its status is all a process object holds, and it outlives the process.
void proc_object_release(struct object *obj) { kfree(obj); }

static _Noreturn void finish(struct proc *p) { jump_back(&p->return_point, 1); }

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    struct proc *p = current_proc;
    p->exit_code = (int64_t)code;  // the ABI: a signed 64-bit code
    if (p->object)
        p->object->status = (struct proc_status){.state = PROC_EXITED, .code = p->exit_code};
    kprintf("proc %d %s: exit %ld\n", p->pid, p->name, p->exit_code);
    finish(p);
}
SYSCALL(SYS_EXIT, sys_exit);

_Noreturn void proc_kill_current(const char *reason) {
    struct proc *p = current_proc;
    p->killed = true;
    if (p->object) {
        p->object->status = (struct proc_status){.state = PROC_KILLED, .code = -1};
        strlcpy(p->object->status.reason, reason, sizeof p->object->status.reason);
    }
    kprintf("proc %d %s: killed: %s\n", p->pid, p->name, reason);
    finish(p);
}
