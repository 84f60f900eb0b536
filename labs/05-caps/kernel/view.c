// view.c: each process's view: its page tables map exactly its regions.
//
// Owns: the user-half mappings of region pages. Relies on paging
// (map_region, unmap_region, translate; unmap flushes the TLB) and on the
// cap hooks: every capability that enters or leaves a table with a view
// comes through here.
//
// The rule. A page of a region is mapped in a holder's view when some
// capability the holder has over that page carries CAP_READ; the mapping
// is writable when one of them carries CAP_WRITE and executable (no NX)
// when one carries CAP_EXEC: the union of the rights of every capability
// the holder has over the page. A capability without CAP_READ maps
// nothing of its own. The address is the region's own, the same in every
// view. A program's image and stack are not regions: proc.c maps them.
#include "cap.h"
#include "memlayout.h"
#include "paging.h"
#include "region.h"

// Map one page with what `rights` allow, or unmap it (no CAP_READ).
// Changing a mapping is unmap (which flushes the TLB) then map: the page
// tables are still there, so the map cannot run out of memory.
static int set_page(pte_t *root, uint64_t va, uint64_t pa, uint32_t rights) {
    // LAB 5: BEGIN SOLUTION
    unsigned perm =
        VM_USER | (rights & CAP_WRITE ? VM_WRITE : 0) | (rights & CAP_EXEC ? VM_EXEC : 0);
    struct mapping m;
    bool mapped = translate(root, va, &m);
    if (mapped && (rights & CAP_READ) && m.pa == pa && m.perm == perm)
        return 0;
    if (mapped)
        unmap_region(root, va, PAGE_SIZE);
    if (!(rights & CAP_READ))
        return 0;
    return map_region(root, va, pa, PAGE_SIZE, perm) == 0 ? 0 : E_NOMEM;
    // LAB 5: END SOLUTION
    // LAB 5: STUB struct mapping m;   /* lab 5: stand-in: always unmap (a TLB flush), then map */
    // LAB 5: STUB if (translate(root, va, &m))
    // LAB 5: STUB     unmap_region(root, va, PAGE_SIZE);
    // LAB 5: STUB if (!(rights & CAP_READ))
    // LAB 5: STUB     return 0;
    // LAB 5: STUB unsigned perm = VM_USER | (rights & CAP_WRITE ? VM_WRITE : 0);
    // LAB 5: STUB perm |= rights & CAP_EXEC ? VM_EXEC : 0;
    // LAB 5: STUB return map_region(root, va, pa, PAGE_SIZE, perm) == 0 ? 0 : E_NOMEM;
}

// The union of the rights of holder's capabilities over the page at
// offset `off` of obj, not counting `leaving`; and in *next, how far that
// union holds: the next offset where one of them starts or ends.
static uint32_t rights_at(struct cap_table *holder, struct object *obj, struct cap *leaving,
                          uint64_t off, uint64_t *next) {
    // LAB 5: BEGIN SOLUTION
    uint32_t rights = 0;
    for (uint32_t i = 0; i < holder->nslots; i++) {
        struct cap *c = holder->entries[i].cap;
        if (!c || c->obj != obj || c == leaving)
            continue;
        if (off >= c->offset && off - c->offset < c->length) {
            rights |= c->rights;
            if (c->offset + c->length < *next)
                *next = c->offset + c->length;
        } else if (c->offset > off && c->offset < *next) {
            *next = c->offset;
        }
    }
    return rights;
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)holder, (void)obj, (void)leaving, (void)off, (void)next;
    // LAB 5: STUB return 0;   /* lab 5: rights_at not written yet */
}

// `changed` has just entered holder's table (removed: is about to leave
// it; it is still in its slot). Map each page it covers with the union
// of the rights of the holder's capabilities over that page, not
// counting `changed` when it is leaving. The union changes only where a
// capability starts or ends, so the table is scanned once per run of
// pages, not once per page: a 1 MiB region costs one scan, not 256.
static int view_update(struct cap_table *holder, struct cap *changed, bool removed) {
    struct region *r = (struct region *)changed->obj;
    // LAB 5: BEGIN SOLUTION
    uint64_t off = changed->offset, end = changed->offset + changed->length;
    while (off < end) {
        uint64_t next = end;
        uint32_t rights = rights_at(holder, changed->obj, removed ? changed : NULL, off, &next);
        for (; off < next; off += PAGE_SIZE) {
            int err = set_page(holder->view, r->va + off, r->frames[off / PAGE_SIZE], rights);
            if (err)
                return err;
        }
    }
    return 0;
    // LAB 5: END SOLUTION
    // LAB 5: STUB /* lab 5: stand-in: each capability maps with its own rights alone, and */
    // LAB 5: STUB /* removing one unmaps its pages even where another still covers them */
    // LAB 5: STUB (void)rights_at;
    // LAB 5: STUB uint32_t rights = removed ? 0 : changed->rights;
    // LAB 5: STUB for (uint64_t off = changed->offset; off < changed->offset + changed->length;
    // LAB 5: STUB      off += PAGE_SIZE) {
    // LAB 5: STUB     uint64_t pa = r->frames[off / PAGE_SIZE];
    // LAB 5: STUB     int err = set_page(holder->view, r->va + off, pa, rights);
    // LAB 5: STUB     if (err)
    // LAB 5: STUB         return err;
    // LAB 5: STUB }
    // LAB 5: STUB return 0;
}

int cap_hook_installed(struct cap_table *holder, struct cap *c) {
    // LAB 5: BEGIN SOLUTION
    if (!holder->view || c->obj->type != OBJ_REGION)
        return 0;
    int err = view_update(holder, c, false);
    if (err)
        view_update(holder, c, true);  // put back what was there (cannot fail)
    return err;
    // LAB 5: END SOLUTION
    // LAB 5: STUB /* lab 5: stand-in: a page mapped before the error stays mapped */
    // LAB 5: STUB if (!holder->view || c->obj->type != OBJ_REGION)
    // LAB 5: STUB     return 0;
    // LAB 5: STUB return view_update(holder, c, false);
}

void cap_hook_removed(struct cap_table *holder, struct cap *c) {
    if (holder->view && c->obj->type == OBJ_REGION)
        view_update(holder, c, true);
}
