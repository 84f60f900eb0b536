// proc.c: user programs: from an ELF file to a process, and back to nothing.
//
// A process is a view (its own root page table: the kernel half shared,
// the lower half holding only what it may touch), two regions of the
// single address space that are part of the process itself, the image
// (all its ELF segments, at a base from the region allocator) and the
// stack (with an unmapped guard page at its bottom), and a capability
// table (cap.h) for everything else: memory regions, the console, the
// processes it spawned. The image and stack are not capabilities: they
// live and die with the process. Freeing the regions and the table
// frees everything.
//
// proc_run saves the kernel's place (jump_save, jump.h) and
// enters user mode; exit() and a fault jump back to that place, so a
// program "returns" to proc_run however it ends. Programs run to the end,
// no preemption (lab 06 adds time budgets). Lab 05: a program may spawn
// another (spawn.c), which runs inside its spawn system call, so proc_run
// nests: the child's entries from user mode use the kernel stack below
// its parent's current frame, and the parent's FPU state is kept aside.
#include "proc.h"
#include "abi.h"
#include "elf.h"
#include "frame.h"
#include "gdt.h"
#include "heap.h"
#include "panic.h"
#include "kprintf.h"
#include "memlayout.h"
#include "string.h"
#include "syscall.h"
#include "trap.h"
#include "vregion.h"
#include "x86.h"

struct proc *current_proc;
static int next_pid = 1;

// --- Regions: address space from vregion, frames from the frame buddy. ---

// Back [va, va + len) with zeroed frames, mapped with perm for user code.
static int populate(struct proc *p, uint64_t va, uint64_t len, unsigned perm) {
    for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
        uint64_t frame = frame_alloc();
        if (!frame)
            return E_NOMEM;
        memset(phys_to_virt(frame), 0, PAGE_SIZE);
        if (map_region(p->root, va + off, frame, PAGE_SIZE, perm | VM_USER) != 0) {
            frame_free(frame);
            return E_NOMEM;
        }
    }
    return 0;
}

// Give back every frame mapped in a region, then the region itself. The
// page tables stay until the process's root is freed.
static void release_region(struct proc *p, struct proc_region *r) {
    for (uint64_t va = r->va; va < r->va + r->size; va += PAGE_SIZE) {
        struct mapping m;
        if (translate(p->root, va, &m)) {
            unmap_region(p->root, va, PAGE_SIZE);
            frame_free(m.pa);
        }
    }
    vregion_free(r->va, r->size);
}

// A new region of at least `size` bytes, recorded in p; 0 or an error.
static int add_region(struct proc *p, uint64_t size, enum region_kind kind, uint64_t *va) {
    uint64_t rounded = vregion_size(size);  // what vregion_alloc gives
    if (p->nregions == PROC_MAX_REGIONS || rounded == 0)
        return E_NOMEM;
    if (vregion_alloc(rounded, va) != 0)
        return E_NOMEM;
    p->regions[p->nregions++] = (struct proc_region){*va, rounded, kind};
    return 0;
}

static void drop_region(struct proc *p, int i) {
    release_region(p, &p->regions[i]);
    p->regions[i] = p->regions[--p->nregions];
}

// Capabilities first: removing them unmaps their regions from p's view,
// which must still exist then.
static void destroy(struct proc *p) {
    cap_table_destroy(&p->caps);
    while (p->nregions > 0)
        drop_region(p, p->nregions - 1);
    if (p->root)
        paging_free_root(p->root);
    kfree(p);
}

// --- Loading. --------------------------------------------------------------

// Write into the program's memory through the direct map, whatever the
// page's user permissions (the loader fills read-only text this way).
static void poke(struct proc *p, uint64_t va, const void *src, uint64_t len) {
    const uint8_t *s = src;
    while (len > 0) {
        struct mapping m;
        translate(p->root, va, &m);  // populated by load_segments
        uint64_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        memcpy(phys_to_virt(m.pa), s, chunk);
        va += chunk;
        s += chunk;
        len -= chunk;
    }
}

static int load_segments(struct proc *p, uint64_t base, const uint8_t *file,
                         const struct elf_image *img) {
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        uint64_t start = (base + s->vaddr) & ~(PAGE_SIZE - 1);
        uint64_t end = (base + s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        unsigned perm = (s->write ? VM_WRITE : 0) | (s->exec ? VM_EXEC : 0);
        if (populate(p, start, end - start, perm) != 0)
            return E_NOMEM;
        poke(p, base + s->vaddr, file + s->offset, s->filesz);  // the rest stays zero: BSS
    }
    return 0;
}

static void relocate(struct proc *p, uint64_t base, const uint8_t *file,
                     const struct elf_image *img) {
    for (uint64_t i = 0; i < img->rela_count; i++) {
        uint64_t where, addend;
        elf_relocation(file, img, i, &where, &addend);
        uint64_t value = base + addend;
        poke(p, base + where, &value, sizeof value);
    }
}

static int load_stack(struct proc *p) {
    uint64_t va;
    if (add_region(p, PROC_STACK_SIZE, REGION_STACK, &va) != 0)
        return E_NOMEM;
    p->stack_guard = va;  // its lowest page stays unmapped
    if (populate(p, va + PAGE_SIZE, PROC_STACK_SIZE - PAGE_SIZE, VM_WRITE) != 0)
        return E_NOMEM;
    p->user_rsp = va + PROC_STACK_SIZE;
    return 0;
}

static struct proc *reject(struct proc *p, const char *name, const char *why, int *err, int code) {
    kprintf("proc - %s: rejected: %s\n", name, why);
    if (p)
        destroy(p);
    *err = code;
    return NULL;
}

struct proc *proc_load_err(const char *name, const uint8_t *file, uint64_t size, int *err) {
    struct elf_image img;
    const char *why;
    if (elf_check(file, size, &img, &why) < 0)
        return reject(NULL, name, why, err, E_BADPROG);
    struct proc *p = kzalloc(sizeof *p);
    if (!p)
        return reject(NULL, name, "out of memory", err, E_NOMEM);
    strlcpy(p->name, name, sizeof p->name);
    p->root = paging_new_root();
    cap_table_init(&p->caps, p->root);
    uint64_t base;
    if (!p->root || add_region(p, img.span, REGION_IMAGE, &base) != 0 ||
        load_segments(p, base, file, &img) != 0 || load_stack(p) != 0)
        return reject(p, name, "out of memory", err, E_NOMEM);
    relocate(p, base, file, &img);
    p->entry = base + img.entry;
    p->pid = next_pid++;
    return p;
}

struct proc *proc_load(const char *name, const uint8_t *file, uint64_t size) {
    int err;
    return proc_load_err(name, file, size, &err);
}

void proc_free(struct proc *p) { destroy(p); }

// The handles go at the very top of the stack, 16-byte aligned below them.
void proc_set_start_handles(struct proc *p, const uint64_t *handles, int n) {
    uint64_t top = p->stack_guard + PROC_STACK_SIZE;
    uint64_t at = (top - (uint64_t)n * sizeof handles[0]) & ~15ul;
    poke(p, at, handles, (uint64_t)n * sizeof handles[0]);
    p->user_rsp = at;
    p->start_args[0] = (uint64_t)n;
    p->start_args[1] = at;
}

// --- Running and ending. -----------------------------------------------

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
    destroy(p);
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
    // LAB 5: STUB destroy(p);
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

static _Noreturn void kill(struct proc *p, const char *reason) {
    p->killed = true;
    if (p->object) {
        p->object->status = (struct proc_status){.state = PROC_KILLED, .code = -1};
        strlcpy(p->object->status.reason, reason, sizeof p->object->status.reason);
    }
    kprintf("proc %d %s: killed: %s\n", p->pid, p->name, reason);
    finish(p);
}

// Every CPU exception in user mode ends the program, with a reason.
static bool user_fault(struct trapframe *tf) {
    struct proc *p = current_proc;
    bool from_user = (tf->cs & 3) == 3;
    if (!p || (!from_user && tf->rip != (uint64_t)syscall_bad_return))
        return false;  // a kernel bug: let it panic
    if (tf->vector == T_NMI || tf->vector == T_MACHINE_CHECK)
        return false;  // the machine's trouble, not the program's
    char reason[PROC_REASON_MAX];
    uint64_t cr2 = read_cr2();
    if (!from_user)
        ksnprintf(reason, sizeof reason, "return to a non-canonical address %p (sysret hazard)",
                  (void *)tf->rcx);
    else if (tf->vector == T_PAGE_FAULT && cr2 >= p->stack_guard &&
             cr2 < p->stack_guard + PAGE_SIZE)
        ksnprintf(reason, sizeof reason, "stack overflow: page fault at %p in the stack guard page",
                  (void *)cr2);
    else if (tf->vector == T_PAGE_FAULT)
        ksnprintf(reason, sizeof reason, "page fault at %p (%s, %s, user) at rip %p", (void *)cr2,
                  (tf->error & PF_FETCH)   ? "fetch"
                  : (tf->error & PF_WRITE) ? "write"
                                           : "read",
                  (tf->error & PF_PRESENT) ? "protection" : "not present", (void *)tf->rip);
    else
        ksnprintf(reason, sizeof reason, "%s at rip %p (error 0x%lx)", exception_name(tf->vector),
                  (void *)tf->rip, tf->error);
    kill(p, reason);
}
FAULT_HANDLER(user_fault);
