// rtable.c: page-table trees shaped for one region (rtable.h).
//
// Owns nothing but the frames of the trees it makes; the callers keep
// their top addresses (a region keeps its own tree's in r->table: the
// hooks at the end, which region.c calls). Relies on frame (a table is one
// frame) and on the entry bits of paging.h.
#include "rtable.h"
#include "abi.h"
#include "frame.h"
#include "region.h"
#include "string.h"
#include "vregion.h"

static pte_t *table_at(uint64_t pa) { return phys_to_virt(pa); }

static uint64_t new_table(void) {
    uint64_t pa = frame_alloc();
    if (pa)
        memset(table_at(pa), 0, PAGE_SIZE);
    return pa;
}

static bool needs_pd(uint64_t npages) { return npages > RTABLE_PT_PAGES; }

static uint64_t pt_count(uint64_t npages) {
    return (npages + RTABLE_PT_PAGES - 1) / RTABLE_PT_PAGES;
}

uint64_t rtable_slot_size(uint64_t npages) { return needs_pd(npages) ? 1ul << 30 : PAGE_SIZE_2M; }

int rtable_link_level(uint64_t npages) { return needs_pd(npages) ? 2 : 1; }

uint64_t rtable_new(uint64_t npages) {
    // LAB final: BEGIN SOLUTION
    uint64_t top = new_table();
    if (!top || !needs_pd(npages))
        return top;
    pte_t *pd = table_at(top);
    for (uint64_t i = 0; i < pt_count(npages); i++) {
        uint64_t pt = new_table();
        if (!pt) {
            rtable_free(top, npages);  // the PTs made so far, and the PD
            return 0;
        }
        pd[i] = pt | RTABLE_LINK_BITS;
    }
    return top;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)npages, (void)new_table, (void)pt_count;
    // LAB final: STUB return 0;   /* final: rtable_new not written yet (kernel/rtable.c) */
}

void rtable_free(uint64_t top, uint64_t npages) {
    // LAB final: BEGIN SOLUTION
    if (needs_pd(npages)) {
        pte_t *pd = table_at(top);
        for (uint64_t i = 0; i < pt_count(npages); i++)
            if (pd[i] & PTE_PRESENT)
                frame_free(pd[i] & PTE_ADDRESS);
    }
    frame_free(top);
    // LAB final: END SOLUTION
    // LAB final: STUB (void)top, (void)npages, (void)table_at;
}

pte_t *rtable_leaf(uint64_t top, uint64_t npages, uint64_t i) {
    // LAB final: BEGIN SOLUTION
    if (!needs_pd(npages))
        return &table_at(top)[i];
    pte_t *pd = table_at(top);
    return &table_at(pd[i / RTABLE_PT_PAGES] & PTE_ADDRESS)[i % RTABLE_PT_PAGES];
    // LAB final: END SOLUTION
    // LAB final: STUB (void)top, (void)npages, (void)i;
    // LAB final: STUB return NULL;   /* final: rtable_leaf not written yet (kernel/rtable.c) */
}

pte_t rtable_leaf_entry(uint64_t pa, uint32_t rights) {
    // LAB final: BEGIN SOLUTION
    if (!(rights & CAP_READ))
        return 0;
    pte_t e = pa | PTE_PRESENT | PTE_USER;
    if (rights & CAP_WRITE)
        e |= PTE_WRITABLE;
    if (!(rights & CAP_EXEC) && cpu_has_nx)
        e |= PTE_NO_EXEC;
    return e;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)pa, (void)rights;
    // LAB final: STUB return 0;   /* final: rtable_leaf_entry not written yet (kernel/rtable.c) */
}

// --- A region's own tree (region.c calls these; lab 05's do nothing). ---

uint64_t region_slot_size(uint64_t len) {
    // LAB final: BEGIN SOLUTION
    return rtable_slot_size(len / PAGE_SIZE);
    // LAB final: END SOLUTION
    // LAB final: STUB return vregion_size(len);   /* final: stand-in: lab 05's ranges, packed */
}

int region_tables_new(struct region *r) {
    // LAB final: BEGIN SOLUTION
    if (!(r->table = rtable_new(r->npages)))
        return E_NOMEM;
    for (uint64_t i = 0; i < r->npages; i++)
        *rtable_leaf(r->table, r->npages, i) = rtable_leaf_entry(r->frames[i], r->rights);
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB /* final: stand-in: no tree of its own; view.c's stand-in maps each page */
    // LAB final: STUB (void)r;
    // LAB final: STUB return 0;
}

void region_tables_free(struct region *r) {
    // LAB final: BEGIN SOLUTION
    if (r->table)
        rtable_free(r->table, r->npages);
    // LAB final: END SOLUTION
    // LAB final: STUB (void)r;
}
