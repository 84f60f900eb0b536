// proc.c: user programs: from an ELF file to a process, and back to nothing.
//
// A process is an address space (its own root page table: the kernel half
// shared, the lower half holding only its regions) plus a few regions of
// the single address space: the image (all its ELF segments, at a base
// from the region allocator), the stack (with an unmapped guard page at its
// bottom) and whatever it map()s. Every frame it has is reachable from its
// regions, so freeing them frees everything.
//
// proc_run saves the kernel's place (jump_save, jump.h) and
// enters user mode; exit() and a fault jump back to that place, so a
// program "returns" to proc_run however it ends. Programs run one at a
// time, to the end: no preemption (lab 06 adds time budgets).
#include "proc.h"
#include "abi.h"
#include "elf.h"
#include "frame.h"
#include "gdt.h"
#include "heap.h"
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
    // LAB 4: BEGIN SOLUTION
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
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)va, (void)len, (void)perm;
    // LAB 4: STUB return E_NOMEM;   /* lab 4: populate not written yet */
}

// Give back every frame mapped in a region, then the region itself. The
// page tables stay until the process's root is freed.
static void release_region(struct proc *p, struct region *r) {
    // LAB 4: BEGIN SOLUTION
    for (uint64_t va = r->va; va < r->va + r->size; va += PAGE_SIZE) {
        struct mapping m;
        if (translate(p->root, va, &m)) {
            unmap_region(p->root, va, PAGE_SIZE);
            frame_free(m.pa);
        }
    }
    vregion_free(r->va, r->size);
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)r;   /* lab 4: release_region not written yet */
}

// A new region of at least `size` bytes, recorded in p; 0 or an error.
static int add_region(struct proc *p, uint64_t size, enum region_kind kind, uint64_t *va) {
    // LAB 4: BEGIN SOLUTION
    uint64_t rounded = vregion_size(size);  // what vregion_alloc gives
    if (p->nregions == PROC_MAX_REGIONS || rounded == 0)
        return E_NOMEM;
    if (vregion_alloc(rounded, va) != 0)
        return E_NOMEM;
    p->regions[p->nregions++] = (struct region){*va, rounded, kind};
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)size, (void)kind, (void)va;
    // LAB 4: STUB return E_NOMEM;   /* lab 4: add_region not written yet */
}

static void drop_region(struct proc *p, int i) {
    release_region(p, &p->regions[i]);
    p->regions[i] = p->regions[--p->nregions];
}

static void destroy(struct proc *p) {
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
    // LAB 4: BEGIN SOLUTION
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
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)va, (void)src, (void)len;   /* lab 4: poke not written yet */
}

static int load_segments(struct proc *p, uint64_t base, const uint8_t *file,
                         const struct elf_image *img) {
    // LAB 4: BEGIN SOLUTION
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
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)base, (void)file, (void)img, (void)populate, (void)poke;
    // LAB 4: STUB return E_NOMEM;   /* lab 4: load_segments not written yet */
}

static void relocate(struct proc *p, uint64_t base, const uint8_t *file,
                     const struct elf_image *img) {
    // LAB 4: BEGIN SOLUTION
    for (uint64_t i = 0; i < img->rela_count; i++) {
        uint64_t where, addend;
        elf_relocation(file, img, i, &where, &addend);
        uint64_t value = base + addend;
        poke(p, base + where, &value, sizeof value);
    }
    // LAB 4: END SOLUTION
    // LAB 4: STUB /* lab 4: relocate not written yet */
    // LAB 4: STUB (void)p, (void)base, (void)file, (void)img;
}

static int load_stack(struct proc *p) {
    // LAB 4: BEGIN SOLUTION
    uint64_t va;
    if (add_region(p, PROC_STACK_SIZE, REGION_STACK, &va) != 0)
        return E_NOMEM;
    p->stack_guard = va;  // its lowest page stays unmapped
    if (populate(p, va + PAGE_SIZE, PROC_STACK_SIZE - PAGE_SIZE, VM_WRITE) != 0)
        return E_NOMEM;
    p->user_rsp = va + PROC_STACK_SIZE;
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p, (void)add_region;
    // LAB 4: STUB return E_NOMEM;   /* lab 4: load_stack not written yet */
}

static struct proc *reject(struct proc *p, const char *name, const char *why) {
    kprintf("proc - %s: rejected: %s\n", name, why);
    if (p)
        destroy(p);
    return NULL;
}

struct proc *proc_load(const char *name, const uint8_t *file, uint64_t size) {
    // LAB 4: BEGIN SOLUTION
    struct elf_image img;
    const char *why;
    if (elf_check(file, size, &img, &why) < 0)
        return reject(NULL, name, why);
    struct proc *p = kzalloc(sizeof *p);
    if (!p)
        return reject(NULL, name, "out of memory");
    strlcpy(p->name, name, sizeof p->name);
    p->root = paging_new_root();
    uint64_t base;
    if (!p->root || add_region(p, img.span, REGION_IMAGE, &base) != 0 ||
        load_segments(p, base, file, &img) != 0 || load_stack(p) != 0)
        return reject(p, name, "out of memory");
    relocate(p, base, file, &img);
    p->entry = base + img.entry;
    p->pid = next_pid++;
    return p;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)file, (void)size, (void)next_pid;
    // LAB 4: STUB (void)load_segments, (void)load_stack, (void)relocate;
    // LAB 4: STUB return reject(NULL, name, "lab 4: proc_load not written yet");
}

// --- Running and ending. -----------------------------------------------

int64_t proc_run(struct proc *p) {
    // LAB 4: BEGIN SOLUTION
    current_proc = p;
    gdt_set_kernel_stack((uint64_t)user_kstack_top);
    paging_activate(p->root);
    if (jump_save(&p->return_point) == 0)
        enter_user(p->entry, p->user_rsp);
    // Back from sys_exit or a kill: on the kernel's stack again. The entry
    // paths cleared every flag a program may set (syscall.h); set the
    // kernel's own flags once more, so that nothing of the program's can
    // reach the next enter_user (an iretq with NT set faults).
    write_rflags(RFLAGS_KERNEL);
    paging_activate(kernel_root);
    current_proc = NULL;
    int64_t result = p->killed ? -1 : p->exit_code;
    destroy(p);
    sti();
    return result;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)p;
    // LAB 4: STUB return -1;   /* lab 4: proc_run not written yet */
}

static _Noreturn void finish(struct proc *p) { jump_back(&p->return_point, 1); }

int64_t sys_exit(uint64_t code, uint64_t unused1, uint64_t unused2) {
    // LAB 4: BEGIN SOLUTION
    struct proc *p = current_proc;
    p->exit_code = (int64_t)code;  // the ABI: a signed 64-bit code
    kprintf("proc %d %s: exit %ld\n", p->pid, p->name, p->exit_code);
    finish(p);
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)code;
    // LAB 4: STUB return E_NOSYS;   /* lab 4: sys_exit not written yet */
}

static _Noreturn void kill(struct proc *p, const char *reason) {
    p->killed = true;
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
    char reason[160];
    uint64_t cr2 = read_cr2();
    // LAB 4: BEGIN SOLUTION
    if (!from_user)
        snprintf(reason, sizeof reason, "return to a non-canonical address %p (sysret hazard)",
                 (void *)tf->rcx);
    else if (tf->vector == T_PAGE_FAULT && cr2 >= p->stack_guard &&
             cr2 < p->stack_guard + PAGE_SIZE)
        snprintf(reason, sizeof reason, "stack overflow: page fault at %p in the stack guard page",
                 (void *)cr2);
    else if (tf->vector == T_PAGE_FAULT)
        snprintf(reason, sizeof reason, "page fault at %p (%s, %s, user) at rip %p", (void *)cr2,
                 (tf->error & PF_FETCH)   ? "fetch"
                 : (tf->error & PF_WRITE) ? "write"
                                          : "read",
                 (tf->error & PF_PRESENT) ? "protection" : "not present", (void *)tf->rip);
    else
        snprintf(reason, sizeof reason, "%s at rip %p (error 0x%lx)", exception_name(tf->vector),
                 (void *)tf->rip, tf->error);
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)cr2;
    // LAB 4: STUB snprintf(reason, sizeof reason, "a fault (lab 4: reasons not written yet)");
    kill(p, reason);
}
FAULT_HANDLER(user_fault);

// --- map and unmap. --------------------------------------------------------

int64_t sys_map(uint64_t len, uint64_t flags, uint64_t unused) {
    // LAB 4: BEGIN SOLUTION
    struct proc *p = current_proc;
    if (len == 0 || len > (1ul << 30) || (flags & ~(uint64_t)(MAP_WRITE | MAP_EXEC)) ||
        flags == (MAP_WRITE | MAP_EXEC))
        return E_INVAL;  // W^X: never both
    len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t va;
    if (add_region(p, len, REGION_MAP, &va) != 0)
        return E_NOMEM;
    unsigned perm = (flags & MAP_WRITE ? VM_WRITE : 0) | (flags & MAP_EXEC ? VM_EXEC : 0);
    if (populate(p, va, len, perm) != 0) {
        drop_region(p, p->nregions - 1);
        return E_NOMEM;
    }
    return va;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)len, (void)flags;
    // LAB 4: STUB return E_NOSYS;   /* lab 4: sys_map not written yet */
}

// Only a whole region map() returned: its address, and its length as
// passed to map() (rounded up the same way).
int64_t sys_unmap(uint64_t addr, uint64_t len, uint64_t unused) {
    // LAB 4: BEGIN SOLUTION
    struct proc *p = current_proc;
    if (len == 0 || len > (1ul << 30))
        return E_INVAL;  // map() never gives more
    uint64_t rounded = vregion_size(len);
    for (int i = 0; i < p->nregions; i++) {
        struct region *r = &p->regions[i];
        if (r->kind == REGION_MAP && r->va == addr && rounded == r->size) {
            drop_region(p, i);
            return 0;
        }
    }
    return E_INVAL;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)addr, (void)len;
    // LAB 4: STUB return E_NOSYS;   /* lab 4: sys_unmap not written yet */
}
