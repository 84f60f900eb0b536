// kvm.c: building the kernel's address space, replacing boot.asm's tables.
//
// The boot tables map too much (4 GiB at 0, everything writable and
// executable) and too little (no memory above 4 GiB). kvm_init() builds a
// root that maps exactly:
//   - all of physical memory once, at DIRECT_MAP: read-write, never
//     executable (2 MiB pages where possible);
//   - the kernel image at KERNEL_VMA, section by section: text read-execute,
//     rodata read-only, data and bss read-write; nothing both writable and
//     executable (W^X), and the page under the kernel stack left out as a
//     guard;
// and nothing at all in the lower half, so a stray low pointer faults.
#include "kvm.h"
#include "cpu.h"
#include "kprintf.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "paging.h"
#include "trap.h"
#include "x86.h"

static uint64_t direct_map_end, direct_map_bytes;

uint64_t kvm_direct_map_end(void) { return direct_map_end; }

// No-execute pages need CPU support and EFER.NXE; without it bit 63 of an
// entry is reserved, and setting it would fault.
static void enable_nx_if_present(void) {
    // LAB 2: BEGIN SOLUTION
    uint32_t a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    if (a < 0x80000001)
        return;
    cpuid(0x80000001, &a, &b, &c, &d);
    if (d & (1u << 20)) {
        write_msr(MSR_EFER, read_msr(MSR_EFER) | EFER_NXE);
        cpu_has_nx = true;
    }
    // LAB 2: END SOLUTION
    // LAB 2: STUB /* lab 2: NX not turned on yet */
}

static bool map_or_report(pte_t *root, uint64_t va, uint64_t pa, uint64_t len, unsigned perm,
                          const char *what) {
    int err = map_region(root, va, pa, len, perm);
    if (err)
        kprintf("kvm: cannot map %s at %p: %s\n", what, (void *)va, vm_error_string(err));
    return err == 0;
}

// Every region of the memory map that is RAM (available or ACPI tables),
// widened to pages; regions that share a page are mapped once. "Reserved"
// regions are left out: they are device windows and firmware holes.
static bool map_direct_map(pte_t *root) {
    // LAB 2: BEGIN SOLUTION
    uint64_t mapped_to = 0;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type != MEM_AVAILABLE && r->type != MEM_ACPI_RECLAIMABLE && r->type != MEM_ACPI_NVS)
            continue;
        uint64_t start = r->base & ~(PAGE_SIZE - 1);
        uint64_t end = (r->base + r->length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        if (start < mapped_to)
            start = mapped_to;
        if (start >= end)
            continue;
        if (!map_or_report(root, DIRECT_MAP + start, start, end - start, VM_WRITE,
                           "the direct map"))
            return false;
        direct_map_bytes += end - start;
        mapped_to = end;
    }
    direct_map_end = DIRECT_MAP + mapped_to;
    return true;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB kprintf("kvm: lab 2: map_direct_map not written yet\n");
    // LAB 2: STUB return false;
}

static bool map_kernel_section(pte_t *root, char *start, char *end, unsigned perm,
                               const char *what) {
    uint64_t va = (uint64_t)start, len = (uint64_t)end - va;
    return len == 0 || map_or_report(root, va, va - KERNEL_VMA, len, perm, what);
}

static bool map_kernel_image(pte_t *root) {
    // LAB 2: BEGIN SOLUTION
    return map_kernel_section(root, _text_start, _rodata_start, VM_EXEC, "kernel text") &&
           map_kernel_section(root, _rodata_start, _data_start, VM_READ, "kernel rodata") &&
           map_kernel_section(root, _data_start, stack_guard, VM_WRITE, "kernel data") &&
           // stack_guard .. boot_stack stays unmapped: an overflow faults.
           map_kernel_section(root, boot_stack, _kernel_end, VM_WRITE, "kernel stack and bss");
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)map_kernel_section;
    // LAB 2: STUB kprintf("kvm: lab 2: map_kernel_image not written yet\n");
    // LAB 2: STUB return false;
}

// For panics: name what lies at a faulting address.
static void describe_address(uint64_t addr) {
    if (addr >= (uint64_t)_text_start && addr < (uint64_t)_rodata_start)
        kprintf(": in kernel text (read-execute)");
    else if (addr >= (uint64_t)_rodata_start && addr < (uint64_t)_data_start)
        kprintf(": in kernel rodata (read-only)");
    else if (addr >= DIRECT_MAP && addr < direct_map_end) {
        struct mapping m;
        kprintf(translate(kernel_root, addr, &m) ? ": in the direct map (read-write, no-execute)"
                                                 : ": in a hole of the direct map (not RAM)");
    } else if (addr < PAGE_SIZE)
        kprintf(": a null pointer");
    else
        kprintf(": nothing is mapped there");
}

// If the tables cannot be built (no frames: the frame allocator or the page
// tables are not written yet), say so and stay on boot.asm's tables: the
// rest of the kernel still works, and the tests say what is missing. The
// frames of the half-built tables are not recovered in that case.
void kvm_init(void) {
    enable_nx_if_present();
    pte_t *root = paging_new_root();
    if (!root) {
        kprintf("kvm: cannot build the kernel address space: no frame for the root table; "
                "staying on the boot page tables\n");
        return;
    }
    if (!map_direct_map(root) || !map_kernel_image(root)) {
        kprintf("kvm: cannot build the kernel address space; staying on the boot page tables\n");
        return;
    }
    kernel_root = root;
    paging_activate(kernel_root);
    describe_fault_address = describe_address;
    kprintf("kvm: kernel address space on, %lu MiB of RAM direct-mapped, NX %s\n",
            direct_map_bytes >> 20, cpu_has_nx ? "on" : "not available");
}
