// view.c: each process's view: its page tables map exactly its regions.
//
// Owns: the entries of a view that link regions' page tables, and the
// private trees some views need. Relies on rtable (trees shaped for a
// region), region (each has a tree of its own, filled with its rights) and
// on the cap hooks: every capability that enters or leaves a table with a
// view comes through here.
//
// The rule (as in lab 05). A page of a region is mapped in a holder's view
// when some capability the holder has over that page carries CAP_READ; the
// mapping is writable when one of them carries CAP_WRITE and executable
// (no NX) when one carries CAP_EXEC: the union of the rights of every
// capability the holder has over the page. A capability without CAP_READ
// maps nothing of its own. The address is the region's own, the same in
// every view. A program's image and stack are not regions: proc.c maps them.
//
// How final/ keeps it. A region's pages are mapped by one tree of tables
// that nothing else shares (rtable.h), linked into a view by one entry:
//
//   the holder has               the view's entry links
//   no capability over r         nothing
//   one, over all of r, with     r's own tree: the move of a region of
//     exactly r's rights           any size is one entry out, one entry in
//   one without CAP_READ         nothing
//   anything else                a private tree, filled page by page
//
// A private tree is made when a capability arrives, never when one leaves:
// a capability leaving lowers the count, so the view goes from private to
// private, shared or nothing, and removing cannot run out of memory.
#include "cap.h"
#include "frame.h"
#include "memlayout.h"
#include "paging.h"
#include "region.h"
#include "rtable.h"
#include "string.h"
#include "x86.h"

#define FLUSH_PAGES_MAX 32  // above this, one CR3 reload beats invlpg per page

// The entry at `level` (1: PD, 2: PDPT) for va in root, making the tables
// above it when `create`; NULL when missing (or out of memory). No huge
// page ever covers a region's slot: proc.c maps 4 KiB pages elsewhere.
static pte_t *link_entry(pte_t *root, uint64_t va, int level, bool create) {
    // LAB final: BEGIN SOLUTION
    pte_t *table = root;
    for (int l = 3; l > level; l--) {
        pte_t *e = &table[(va >> (12 + 9 * l)) & 511];
        if (!(*e & PTE_PRESENT)) {
            uint64_t pa = create ? frame_alloc() : 0;
            if (!pa)
                return NULL;
            memset(phys_to_virt(pa), 0, PAGE_SIZE);
            *e = pa | RTABLE_LINK_BITS;
        }
        table = phys_to_virt(*e & PTE_ADDRESS);
    }
    return &table[(va >> (12 + 9 * level)) & 511];
    // LAB final: END SOLUTION
    // LAB final: STUB (void)root, (void)va, (void)level, (void)create;
    // LAB final: STUB return NULL;   /* final: link_entry not written yet (kernel/view.c) */
}

// r's pages may be cached in the TLB when holder's view is the running one.
static void flush(pte_t *root, struct region *r) {
    // LAB final: BEGIN SOLUTION
    if (root != paging_active_root())
        return;
    if (r->npages > FLUSH_PAGES_MAX) {
        paging_activate(root);  // reloading CR3 drops every user translation
        return;
    }
    for (uint64_t i = 0; i < r->npages; i++)
        __asm__ volatile("invlpg (%0)" : : "r"(r->va + i * PAGE_SIZE) : "memory");
    // LAB final: END SOLUTION
    // LAB final: STUB (void)root, (void)r;
}

// Fill a private tree for r: each page with the union of the rights of
// holder's capabilities over it, `skip` not counted. The rights gather in
// bits 9-11 of each leaf (ignored by the CPU), then become the entry.
#define GATHER_SHIFT 9
static void fill_private(struct cap_table *holder, struct region *r, struct cap *skip,
                         uint64_t tree) {
    // LAB final: BEGIN SOLUTION
    for (uint64_t i = 0; i < r->npages; i++)
        *rtable_leaf(tree, r->npages, i) = 0;
    for (uint32_t s = 0; s < holder->nslots; s++) {
        struct cap *c = holder->entries[s].cap;
        if (!c || c == skip || c->obj != &r->obj)
            continue;
        uint64_t first = c->offset / PAGE_SIZE, end = first + c->length / PAGE_SIZE;
        uint32_t rights = c->rights & (CAP_READ | CAP_WRITE | CAP_EXEC);
        for (uint64_t i = first; i < end; i++)
            *rtable_leaf(tree, r->npages, i) |= (pte_t)rights << GATHER_SHIFT;
    }
    for (uint64_t i = 0; i < r->npages; i++) {
        pte_t *leaf = rtable_leaf(tree, r->npages, i);
        *leaf = rtable_leaf_entry(r->frames[i], (uint32_t)(*leaf >> GATHER_SHIFT));
    }
    // LAB final: END SOLUTION
    // LAB final: STUB (void)holder, (void)r, (void)skip, (void)tree;
}

enum link { LINK_NOTHING, LINK_SHARED, LINK_PRIVATE };

// What holder's view should link for r, `skip` not counted (the table above).
static enum link wanted_link(struct cap_table *holder, struct region *r, struct cap *skip) {
    // LAB final: BEGIN SOLUTION
    uint32_t n = 0;
    struct cap *only = NULL;
    for (uint32_t s = 0; s < holder->nslots; s++) {
        struct cap *c = holder->entries[s].cap;
        if (c && c != skip && c->obj == &r->obj) {
            n++;
            only = c;
        }
    }
    if (n == 0 || (n == 1 && !(only->rights & CAP_READ)))
        return LINK_NOTHING;
    uint32_t rights = only->rights & (CAP_READ | CAP_WRITE | CAP_EXEC);
    if (n == 1 && only->offset == 0 && only->length == r->obj.size && rights == r->rights)
        return LINK_SHARED;
    return LINK_PRIVATE;
    // LAB final: END SOLUTION
    // LAB final: STUB (void)holder, (void)r, (void)skip;
    // LAB final: STUB return LINK_NOTHING;   /* final: wanted_link not written yet */
}

// `changed` has just entered holder's table (removed: is about to leave
// it; it is still in its slot). Link in holder's view what the table says
// r should be, then drop what the old entry may have left in the TLB.
static int view_update(struct cap_table *holder, struct cap *changed, bool removed) {
    struct region *r = (struct region *)changed->obj;
    // LAB final: BEGIN SOLUTION
    struct cap *skip = removed ? changed : NULL;
    enum link want = wanted_link(holder, r, skip);
    pte_t *entry =
        link_entry(holder->view, r->va, rtable_link_level(r->npages), want != LINK_NOTHING);
    if (!entry)
        return want == LINK_NOTHING ? 0 : E_NOMEM;
    pte_t old = *entry;
    uint64_t private =
        (old & PTE_PRESENT) && (old & PTE_ADDRESS) != r->table ? old & PTE_ADDRESS : 0;
    if (want == LINK_PRIVATE) {
        uint64_t tree = private ? private : rtable_new(r->npages);
        if (!tree)
            return E_NOMEM;  // nothing changed
        fill_private(holder, r, skip, tree);
        *entry = tree | RTABLE_LINK_BITS;
    } else {
        *entry = want == LINK_SHARED ? r->table | RTABLE_LINK_BITS : 0;
    }
    if (old & PTE_PRESENT)
        flush(holder->view, r);
    if (private && want != LINK_PRIVATE)
        rtable_free(private, r->npages);  // unlinked and flushed: no one reaches it
    return 0;
    // LAB final: END SOLUTION
    // LAB final: STUB /* final: stand-in: lab 05's view, page by page. Right, but a move */
    // LAB final: STUB /* unmaps and maps every page, and no tree changes hands (view.c) */
    // LAB final: STUB (void)link_entry, (void)flush, (void)fill_private, (void)wanted_link;
    // LAB final: STUB for (uint64_t off = changed->offset; off < changed->offset + changed->length;
    // LAB final: STUB      off += PAGE_SIZE) {
    // LAB final: STUB     uint32_t rights = 0;
    // LAB final: STUB     for (uint32_t i = 0; i < holder->nslots; i++) {
    // LAB final: STUB         struct cap *c = holder->entries[i].cap;
    // LAB final: STUB         if (c && c->obj == changed->obj && !(removed && c == changed) &&
    // LAB final: STUB             off >= c->offset && off - c->offset < c->length)
    // LAB final: STUB             rights |= c->rights;
    // LAB final: STUB     }
    // LAB final: STUB     uint64_t va = r->va + off;
    // LAB final: STUB     struct mapping m;
    // LAB final: STUB     if (translate(holder->view, va, &m))
    // LAB final: STUB         unmap_region(holder->view, va, PAGE_SIZE);  /* (flushes the TLB) */
    // LAB final: STUB     unsigned perm = VM_USER | (rights & CAP_WRITE ? VM_WRITE : 0);
    // LAB final: STUB     perm |= rights & CAP_EXEC ? VM_EXEC : 0;
    // LAB final: STUB     uint64_t pa = r->frames[off / PAGE_SIZE];
    // LAB final: STUB     if (!(rights & CAP_READ))
    // LAB final: STUB         continue;
    // LAB final: STUB     if (map_region(holder->view, va, pa, PAGE_SIZE, perm) != 0)
    // LAB final: STUB         return E_NOMEM;
    // LAB final: STUB }
    // LAB final: STUB return 0;
}

int cap_hook_installed(struct cap_table *holder, struct cap *c) {
    if (!holder->view || c->obj->type != OBJ_REGION)
        return 0;
    int err = view_update(holder, c, false);
    if (err)
        view_update(holder, c, true);  // put back what was there (cannot fail)
    return err;
}

void cap_hook_removed(struct cap_table *holder, struct cap *c) {
    if (holder->view && c->obj->type == OBJ_REGION)
        view_update(holder, c, true);
}
