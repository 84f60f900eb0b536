// rtable.h: page-table trees shaped for one region (final/).
//
// A region of up to 512 pages sits at the start of a 2 MiB slot of its
// own and one PT maps it; a bigger one (up to 1 GiB) sits at the start of
// a 1 GiB slot, mapped by a PD whose first entries point to one PT per
// 2 MiB. Either tree is linked into a view by a single entry one level up
// (a PD entry for the PT, a PDPT entry for the PD), so linking, unlinking
// and moving it cost the same for 4 KiB and for 1 GiB.
//
// Each region keeps one tree filled with its own rights, which every view
// seeing the whole region with those rights links (region.c); a view that
// sees it with other rights, or only part of it, links a private tree of
// the same shape filled page by page (view.c).
#pragma once
#include <stdint.h>
#include "paging.h"

#define RTABLE_PT_PAGES 512ul  // a region of up to this many pages: one PT

// The entry bits that link a tree (and a PD to its PTs): every right, so
// that the leaves alone decide (translate, and so uaccess, reads the leaf).
#define RTABLE_LINK_BITS (PTE_PRESENT | PTE_WRITABLE | PTE_USER)

// The size of the slot a region of npages pages gets: 2 MiB or 1 GiB.
uint64_t rtable_slot_size(uint64_t npages);
// The level of the entry that links the tree: 1 (a PD entry) or 2 (PDPT).
int rtable_link_level(uint64_t npages);
// A tree for npages pages, every leaf empty: its top table's physical
// address, or 0 when out of memory (nothing left allocated).
uint64_t rtable_new(uint64_t npages);
void rtable_free(uint64_t top, uint64_t npages);
// The leaf entry of page i.
pte_t *rtable_leaf(uint64_t top, uint64_t npages, uint64_t i);
// The leaf that maps frame pa with `rights` (0, not mapped, without CAP_READ).
pte_t rtable_leaf_entry(uint64_t pa, uint32_t rights);

// region.c's hooks: a region's slot size (for len bytes), and its own tree,
// made with its frames and rights (0 or E_NOMEM, r->table 0 then) and freed.
struct region;
uint64_t region_slot_size(uint64_t len);
int region_tables_new(struct region *r);
void region_tables_free(struct region *r);
