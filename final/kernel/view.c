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
}

// `changed` has just entered holder's table (removed: is about to leave
// it; it is still in its slot). Map each page it covers with the union
// of the rights of the holder's capabilities over that page, not
// counting `changed` when it is leaving.
//
// final/: the holder's capabilities over the region are gathered in one
// pass over its table, then each page looks only at them, not at every
// slot again (a pass a page made a 64 MiB region in a table of 4,096
// slots cost seconds with interrupts off: usertests found it). A holder
// with more than FEW capabilities over one region still gets a pass a
// page.
#define FEW 16

static bool covers(const struct cap *c, uint64_t off) {
    return off >= c->offset && off - c->offset < c->length;
}

// The capabilities that count (not `changed` when it is leaving) into
// few[]: how many, or FEW + 1 when there are more than FEW.
static int gather(struct cap_table *holder, struct cap *changed, bool removed, struct cap **few) {
    int n = 0;
    for (uint32_t i = 0; i < holder->nslots && n <= FEW; i++) {
        struct cap *c = holder->entries[i].cap;
        if (c && c->obj == changed->obj && !(removed && c == changed)) {
            if (n < FEW)
                few[n] = c;
            n++;
        }
    }
    return n;
}

// The union of the rights over page `off` of the region: from few[] when
// it holds them all, else from a pass over the table.
static uint32_t rights_at(struct cap_table *holder, struct cap *changed, bool removed,
                          struct cap **few, int n, uint64_t off) {
    uint32_t rights = 0;
    if (n <= FEW) {
        for (int i = 0; i < n; i++)
            if (covers(few[i], off))
                rights |= few[i]->rights;
        return rights;
    }
    for (uint32_t i = 0; i < holder->nslots; i++) {
        struct cap *c = holder->entries[i].cap;
        if (c && c->obj == changed->obj && !(removed && c == changed) && covers(c, off))
            rights |= c->rights;
    }
    return rights;
}

static int view_update(struct cap_table *holder, struct cap *changed, bool removed) {
    struct region *r = (struct region *)changed->obj;
    struct cap *few[FEW];
    int n = gather(holder, changed, removed, few);
    for (uint64_t off = changed->offset; off < changed->offset + changed->length;
         off += PAGE_SIZE) {
        uint32_t rights = rights_at(holder, changed, removed, few, n, off);
        int err = set_page(holder->view, r->va + off, r->frames[off / PAGE_SIZE], rights);
        if (err)
            return err;
    }
    return 0;
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
