// paging.c: creating, changing and reading 4-level page tables.
//
// The one primitive is walk(): follow va's indexes from the root down to
// the level wanted, optionally creating missing tables. map_region,
// unmap_region and translate are loops over it.
// Intermediate entries are permissive (present, writable, and user in the
// lower half); the leaf entry alone decides what an access may do.
#include "paging.h"
#include "frame.h"
#include "memlayout.h"
#include "string.h"
#include "x86.h"

#define LEVEL_PT   0  // entries map 4 KiB pages
#define LEVEL_PD   1  // entries map 2 MiB pages or PTs
#define LEVEL_PML4 3
#define ENTRIES    512

pte_t *kernel_root;
bool cpu_has_nx;

const char *vm_error_string(int err) {
    switch (err) {
    case 0: return "ok";
    case VM_ERR_ALIGN: return "address or length not a multiple of 4 KiB";
    case VM_ERR_RANGE: return "range is empty, wraps around, or is not canonical";
    case VM_ERR_OVERLAP: return "range overlaps an existing mapping";
    case VM_ERR_NO_MEMORY: return "out of memory for page tables";
    case VM_ERR_NOT_MAPPED: return "range is not (entirely) mapped";
    default: return "unknown error";
    }
}

static inline int index_at(uint64_t va, int level) {
    return (va >> (12 + 9 * level)) & (ENTRIES - 1);
}
static uint64_t level_size(int level) { return 1ul << (12 + 9 * level); }
static pte_t *table_at(pte_t entry) { return phys_to_virt(entry & PTE_ADDRESS); }
static bool is_lower_half(uint64_t va) { return va < USER_TOP; }

// Drop va's old translation from the TLB if it can be there: only the
// running root's translations are cached, and those of the kernel half
// (which every root shares) once the kernel's own root runs.
static void invalidate(pte_t *root, uint64_t va) {
    if (root == paging_active_root() || (!is_lower_half(va) && kernel_root))
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static pte_t *new_table(void) {
    uint64_t pa = frame_alloc();
    if (pa == 0)
        return NULL;
    memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return phys_to_virt(pa);
}

// The bits of a leaf entry at `level` that grants `perm`.
static pte_t leaf_bits(unsigned perm, int level) {
    // LAB 2: BEGIN SOLUTION
    pte_t bits = PTE_PRESENT;
    if (perm & VM_WRITE)
        bits |= PTE_WRITABLE;
    if (perm & VM_USER)
        bits |= PTE_USER;
    if (!(perm & VM_EXEC) && cpu_has_nx)
        bits |= PTE_NO_EXEC;
    if (level == LEVEL_PD)
        bits |= PTE_HUGE;
    return bits;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)perm;
    // LAB 2: STUB (void)level;
    // LAB 2: STUB return 0;   /* lab 2: leaf_bits not written yet */
}

// What a leaf entry allows, as VM_ bits (the inverse of leaf_bits).
static unsigned perm_of(pte_t entry) {
    // LAB 2: BEGIN SOLUTION
    unsigned perm = 0;
    if (entry & PTE_WRITABLE)
        perm |= VM_WRITE;
    if (entry & PTE_USER)
        perm |= VM_USER;
    if (!(entry & PTE_NO_EXEC))
        perm |= VM_EXEC;
    return perm;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)entry;
    // LAB 2: STUB return 0;   /* lab 2: perm_of not written yet */
}

// The entry for va at `level`, creating tables on the way when `create`.
// Stops early at a huge page (returning its entry, *found = its level) or
// at a missing table (NULL when not creating, or out of memory).
static pte_t *walk(pte_t *root, uint64_t va, int level, bool create, int *found) {
    // LAB 2: BEGIN SOLUTION
    pte_t *table = root;
    for (int l = LEVEL_PML4; l > level; l--) {
        pte_t *entry = &table[index_at(va, l)];
        if ((*entry & PTE_PRESENT) && (*entry & PTE_HUGE)) {
            *found = l;
            return entry;
        }
        if (!(*entry & PTE_PRESENT)) {
            if (!create)
                return NULL;
            pte_t *next = new_table();
            if (!next)
                return NULL;
            *entry = virt_to_phys(next) | PTE_PRESENT | PTE_WRITABLE |
                     (is_lower_half(va) ? PTE_USER : 0);
        }
        table = table_at(*entry);
    }
    *found = level;
    return &table[index_at(va, level)];
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)va;
    // LAB 2: STUB (void)create;
    // LAB 2: STUB (void)new_table;
    // LAB 2: STUB *found = level;
    // LAB 2: STUB return NULL;   /* lab 2: walk not written yet */
}

static bool table_is_empty(const pte_t *table) {
    for (int i = 0; i < ENTRIES; i++)
        if (table[i] & PTE_PRESENT)
            return false;
    return true;
}

static bool is_canonical(uint64_t va) { return va < USER_TOP || va >= DIRECT_MAP; }

// Common checks for map and unmap: alignment, then the range itself.
static int check_range(uint64_t va, uint64_t len) {
    if (va % PAGE_SIZE || len % PAGE_SIZE)
        return VM_ERR_ALIGN;
    uint64_t last = va + len - 1;
    if (len == 0 || last < va || !is_canonical(va) || !is_canonical(last) ||
        is_lower_half(va) != is_lower_half(last))
        return VM_ERR_RANGE;
    return 0;
}

// Map pages of `level` (4 KiB or 2 MiB) from va on, as many of `count` as
// the table holding va's entry has slots for: one walk, then slot after
// slot (the direct map of 4 GiB is 2048 such pages, four walks). *mapped
// says how many were set, also on an error, so the caller can undo them.
// A new entry needs no TLB flush: the TLB never holds an absent one.
static int map_pages(pte_t *root, uint64_t va, uint64_t pa, uint64_t count, unsigned perm,
                     int level, uint64_t *mapped) {
    // LAB 2: BEGIN SOLUTION
    *mapped = 0;
    int found;
    pte_t *entry = walk(root, va, level, true, &found);
    if (!entry)
        return VM_ERR_NO_MEMORY;
    if (found != level)
        return VM_ERR_OVERLAP;  // inside a bigger page
    uint64_t room = ENTRIES - index_at(va, level), size = level_size(level);
    uint64_t n = count < room ? count : room, i;
    pte_t bits = leaf_bits(perm, level);
    for (i = 0; i < n; i++, entry++) {
        if (*entry & PTE_PRESENT) {
            // Only a page table that unmaps left empty may give way.
            if (level != LEVEL_PD || (*entry & PTE_HUGE) || !table_is_empty(table_at(*entry)))
                break;
            frame_free(*entry & PTE_ADDRESS);
            *entry = 0;
            invalidate(root, va + i * size);  // the CPU may cache the table's entry
        }
        *entry = (pa + i * size) | bits;
    }
    *mapped = i;
    return i < n ? VM_ERR_OVERLAP : 0;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)va;
    // LAB 2: STUB (void)pa;
    // LAB 2: STUB (void)count;
    // LAB 2: STUB (void)perm;
    // LAB 2: STUB (void)level;
    // LAB 2: STUB (void)leaf_bits;
    // LAB 2: STUB (void)table_is_empty;
    // LAB 2: STUB (void)walk;
    // LAB 2: STUB (void)invalidate;
    // LAB 2: STUB *mapped = 0;
    // LAB 2: STUB return VM_ERR_NO_MEMORY;   /* lab 2: map_pages not written yet */
}

int map_region(pte_t *root, uint64_t va, uint64_t pa, uint64_t len, unsigned perm) {
    int err = check_range(va, len);
    if (err)
        return err;
    if (pa % PAGE_SIZE)
        return VM_ERR_ALIGN;
    if (pa + len < pa || pa + len > (1ul << 52))
        return VM_ERR_RANGE;
    // LAB 2: BEGIN SOLUTION
    for (uint64_t done = 0; done < len;) {
        uint64_t v = va + done, p = pa + done;
        // 2 MiB pages where both addresses are aligned and one fits.
        bool huge = v % PAGE_SIZE_2M == 0 && p % PAGE_SIZE_2M == 0 && len - done >= PAGE_SIZE_2M;
        int level = huge ? LEVEL_PD : LEVEL_PT;
        uint64_t size = level_size(level), mapped;
        err = map_pages(root, v, p, (len - done) / size, perm, level, &mapped);
        done += mapped * size;
        if (err) {
            if (done > 0)  // undo: all or nothing
                unmap_region(root, va, done);
            return err;
        }
    }
    return 0;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)map_pages;
    // LAB 2: STUB (void)level_size;
    // LAB 2: STUB return VM_ERR_NO_MEMORY;   /* lab 2: map_region not written yet */
}

// Replace the 2 MiB page at *entry by a table of 512 4 KiB pages that map
// the same memory with the same permissions.
static int split_huge_page(pte_t *root, uint64_t va, pte_t *entry) {
    // LAB 2: BEGIN SOLUTION
    pte_t *table = new_table();
    if (!table)
        return VM_ERR_NO_MEMORY;
    uint64_t base = *entry & PTE_ADDRESS & ~(PAGE_SIZE_2M - 1);
    pte_t bits = (*entry & ~PTE_ADDRESS & ~PTE_HUGE);
    for (int i = 0; i < ENTRIES; i++)
        table[i] = (base + i * PAGE_SIZE) | bits;
    *entry = virt_to_phys(table) | PTE_PRESENT | PTE_WRITABLE | (is_lower_half(va) ? PTE_USER : 0);
    invalidate(root, va);
    return 0;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)va;
    // LAB 2: STUB (void)entry;
    // LAB 2: STUB return VM_ERR_NO_MEMORY;   /* lab 2: split_huge_page not written yet */
}

// First pass of unmap: is everything mapped? Split the 2 MiB pages that
// the range covers only in part, so the second pass can clear 4 KiB
// entries. Changes no translation.
static int prepare_unmap(pte_t *root, uint64_t va, uint64_t len) {
    // LAB 2: BEGIN SOLUTION
    for (uint64_t v = va; v < va + len;) {
        int found;
        pte_t *entry = walk(root, v, LEVEL_PT, false, &found);
        if (!entry || !(*entry & PTE_PRESENT))
            return VM_ERR_NOT_MAPPED;
        if (found == LEVEL_PD) {
            uint64_t start = v & ~(PAGE_SIZE_2M - 1);
            if (v != start || va + len - v < PAGE_SIZE_2M) {
                int err = split_huge_page(root, v, entry);
                if (err)
                    return err;
                continue;  // look at v again, now 4 KiB
            }
            v = start + PAGE_SIZE_2M;
        } else {
            v += PAGE_SIZE;
        }
    }
    return 0;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)va;
    // LAB 2: STUB (void)len;
    // LAB 2: STUB (void)split_huge_page;
    // LAB 2: STUB return VM_ERR_NOT_MAPPED;   /* lab 2: prepare_unmap not written yet */
}

int unmap_region(pte_t *root, uint64_t va, uint64_t len) {
    int err = check_range(va, len);
    if (err)
        return err;
    err = prepare_unmap(root, va, len);
    if (err)
        return err;
    // LAB 2: BEGIN SOLUTION
    for (uint64_t v = va; v < va + len;) {
        int found;
        pte_t *entry = walk(root, v, LEVEL_PT, false, &found);
        *entry = 0;
        invalidate(root, v);
        v += level_size(found);
    }
    return 0;
    // LAB 2: END SOLUTION
    // LAB 2: STUB return VM_ERR_NOT_MAPPED;   /* lab 2: unmap_region not written yet */
}

bool translate(pte_t *root, uint64_t va, struct mapping *out) {
    if (!is_canonical(va))
        return false;
    // LAB 2: BEGIN SOLUTION
    int found;
    pte_t *entry = walk(root, va, LEVEL_PT, false, &found);
    if (!entry || !(*entry & PTE_PRESENT))
        return false;
    uint64_t size = level_size(found);
    out->pa = (*entry & PTE_ADDRESS & ~(size - 1)) + (va & (size - 1));
    out->perm = perm_of(*entry);
    out->page_size = size;
    return true;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;
    // LAB 2: STUB (void)out;
    // LAB 2: STUB (void)perm_of;
    // LAB 2: STUB return false;   /* lab 2: translate not written yet */
}

pte_t *paging_new_root(void) {
    // LAB 2: BEGIN SOLUTION
    pte_t *root = new_table();
    if (root && kernel_root)
        memcpy(root + ENTRIES / 2, kernel_root + ENTRIES / 2, ENTRIES / 2 * sizeof(pte_t));
    return root;
    // LAB 2: END SOLUTION
    // LAB 2: STUB return NULL;   /* lab 2: paging_new_root not written yet */
}

// Free the tables under `table` (a table at `level`), then the table.
static void free_tables(pte_t *table, int level) {
    // LAB 2: BEGIN SOLUTION
    if (level > LEVEL_PT) {
        for (int i = 0; i < ENTRIES; i++)
            if ((table[i] & PTE_PRESENT) && !(table[i] & PTE_HUGE))
                free_tables(table_at(table[i]), level - 1);
    }
    frame_free(virt_to_phys(table));
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)table;   /* lab 2: free_tables not written yet: the tables leak */
    // LAB 2: STUB (void)level;
}

void paging_free_root(pte_t *root) {
    // LAB 2: BEGIN SOLUTION
    for (int i = 0; i < ENTRIES / 2; i++)  // the lower half only
        if (root[i] & PTE_PRESENT)
            free_tables(table_at(root[i]), LEVEL_PML4 - 1);
    frame_free(virt_to_phys(root));
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)root;   /* lab 2: paging_free_root not written yet: the tables leak */
    // LAB 2: STUB (void)free_tables;
    // LAB 2: STUB (void)table_at;
}

pte_t *paging_active_root(void) { return phys_to_virt(read_cr3() & PTE_ADDRESS); }
