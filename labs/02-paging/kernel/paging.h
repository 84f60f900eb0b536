// paging.h: 4-level page tables.
//
// A virtual address on x86_64 splits into four 9-bit table indexes and a
// 12-bit offset:
//
//   63     48 47    39 38    30 29    21 20    12 11         0
//   [ sign  ][ PML4  ][ PDPT  ][  PD   ][  PT   ][  offset   ]
//
// Each table is one 4 KiB frame of 512 entries. A PD entry may map a 2 MiB
// page directly (PTE_HUGE), skipping the PT. Tables are edited through the
// direct map, so the kernel can change any address space, not just the
// running one.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "memlayout.h"

typedef uint64_t pte_t;

// Bits of an entry (Intel SDM vol. 3, 4.5).
#define PTE_PRESENT  (1ul << 0)
#define PTE_WRITABLE (1ul << 1)
#define PTE_USER     (1ul << 2)
#define PTE_HUGE     (1ul << 7)   // in a PD entry: a 2 MiB page
#define PTE_NO_EXEC  (1ul << 63)  // only when the CPU has NX
#define PTE_ADDRESS  0x000FFFFFFFFFF000ul

#define PAGE_SIZE_2M 0x200000ul  // a huge page; a 4 KiB page is PAGE_SIZE

// Permissions for map_region. Every mapping can be read; add these.
#define VM_READ  0u
#define VM_WRITE (1u << 0)
#define VM_EXEC  (1u << 1)
#define VM_USER  (1u << 2)

// Errors: negative; vm_error_string() says what they mean.
enum {
    VM_ERR_ALIGN = -1,       // va, pa or len not a multiple of 4 KiB
    VM_ERR_RANGE = -2,       // empty, wraps, not canonical, pa beyond 52 bits
    VM_ERR_OVERLAP = -3,     // something is already mapped there
    VM_ERR_NO_MEMORY = -4,   // no frame for a page table
    VM_ERR_NOT_MAPPED = -5,  // unmap of an address with no mapping
};
const char *vm_error_string(int err);

struct mapping {
    uint64_t pa;         // the physical address va maps to
    unsigned perm;       // VM_WRITE | VM_EXEC | VM_USER
    uint64_t page_size;  // 4 KiB or 2 MiB
};

// Map [va, va + len) to [pa, pa + len) with the permissions, using 2 MiB
// pages where va, pa and the remaining length allow. All or nothing: on an
// error nothing is left mapped and the error is returned.
int map_region(pte_t *root, uint64_t va, uint64_t pa, uint64_t len, unsigned perm);

// Remove every mapping in [va, va + len). All or nothing: if any page of the
// range is not mapped, nothing changes and VM_ERR_NOT_MAPPED is returned.
// A 2 MiB page that is only partly unmapped is first split into 4 KiB ones;
// if a split finds no frame, VM_ERR_NO_MEMORY is returned and the splits
// already done stay (they change no translation).
// Policy: page tables left empty stay in place for the next map there; they
// are freed with the whole address space by paging_free_root().
int unmap_region(pte_t *root, uint64_t va, uint64_t len);

// Walk the tables: true and *out filled when va is mapped.
bool translate(pte_t *root, uint64_t va, struct mapping *out);

// A new root whose kernel half is the kernel's; NULL when out of memory.
pte_t *paging_new_root(void);
// Free a root and its lower-half tables (not the frames they map).
void paging_free_root(pte_t *root);
// Inline: one instruction, and a caller that makes no other call needs
// no saved registers (the dispatcher enters a program right after).
static inline void paging_activate(pte_t *root) {
    __asm__ volatile("mov %0, %%cr3" : : "r"(virt_to_phys(root)) : "memory");
}
pte_t *paging_active_root(void);

extern pte_t *kernel_root;  // set by kvm_init()
extern bool cpu_has_nx;
