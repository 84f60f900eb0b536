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
// How a process runs and ends is procrun.c's (lab 05: to its end, inside
// proc_run; lab 06 replaces that file with continuations). This file ends
// with what both share: a CPU exception in user mode kills the program.
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
    proc_kill_current(reason);
}
FAULT_HANDLER(user_fault);
