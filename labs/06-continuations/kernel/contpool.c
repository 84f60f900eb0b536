// contpool.c: the pool continuation records come from.
//
// Why not kmalloc: its size classes are powers of two, so a 48-byte
// record would take 64. Here a page holds a small header and 85 records;
// pages with free records sit on a list, each page keeps its own free
// list and a count. A page whose records are all free goes back to the
// frame allocator, except one kept for the next allocation (else a
// program that queues and runs one continuation at a time would take and
// give back a page each time); cont_pool_trim gives that one back too, so
// that after a run the pool holds nothing (the `conts` count of `run:
// done` and the free frames both come back).
//
//   page:  [header: next page, free list, used] [rec][rec][rec] ... [rec]
//
// Relies on frame (pages) and memlayout (the direct map).
#include "cont.h"
#include "failalloc.h"
#include "frame.h"
#include "heap.h"
#include "memlayout.h"
#include "string.h"

struct pool_page {
    struct pool_page *next, *prev;  // on the list of pages with free records
    struct cont *free;              // this page's free records
    uint64_t used;                  // records handed out from this page
    uint64_t pad[2];                // the header is one record's size
};
_Static_assert(sizeof(struct pool_page) == sizeof(struct cont), "header = one record");

#define PER_PAGE (PAGE_SIZE / sizeof(struct cont) - 1)

static uint64_t live, pages;

uint64_t cont_live_count(void) { return live; }
uint64_t cont_pool_pages(void) { return pages; }

// LAB 6: BEGIN SOLUTION
static struct pool_page *partial;  // pages with at least one free record
static struct pool_page *spare;    // an empty page kept back (on partial too)

static struct pool_page *page_of(struct cont *c) {
    return (struct pool_page *)((uint64_t)c & ~(uint64_t)(PAGE_SIZE - 1));
}

static void unlink_page(struct pool_page *pg) {
    if (pg->prev)
        pg->prev->next = pg->next;
    else
        partial = pg->next;
    if (pg->next)
        pg->next->prev = pg->prev;
    pg->next = pg->prev = NULL;
}

static void push_page(struct pool_page *pg) {
    pg->prev = NULL;
    pg->next = partial;
    if (partial)
        partial->prev = pg;
    partial = pg;
}

// A fresh page: its records chained on its free list.
static struct pool_page *new_page(void) {
    uint64_t frame = frame_alloc();
    if (!frame)
        return NULL;
    struct pool_page *pg = phys_to_virt(frame);
    memset(pg, 0, sizeof *pg);
    struct cont *recs = (struct cont *)(pg + 1);
    for (uint64_t i = 0; i < PER_PAGE; i++)
        recs[i].next = i + 1 < PER_PAGE ? &recs[i + 1] : NULL;
    pg->free = recs;
    pages++;
    push_page(pg);
    return pg;
}

static void release_page(struct pool_page *pg) {
    unlink_page(pg);
    frame_free(virt_to_phys(pg));
    pages--;
}

struct cont *cont_alloc(void) {
    if (failalloc("cont"))
        return NULL;
    struct pool_page *pg = partial ? partial : new_page();
    if (!pg)
        return NULL;
    if (pg == spare)
        spare = NULL;  // in use again
    struct cont *c = pg->free;
    pg->free = c->next;
    if (++pg->used == PER_PAGE)
        unlink_page(pg);  // full: off the list until a record comes back
    live++;
    *c = (struct cont){0};  // six stores, not a call to memset
    return c;
}

void cont_free(struct cont *c) {
    struct pool_page *pg = page_of(c);
    if (pg->used == PER_PAGE)
        push_page(pg);  // it has a free record again
    c->next = pg->free;
    pg->free = c;
    live--;
    if (--pg->used == 0) {  // all free: keep one such page, give back others
        if (!spare)
            spare = pg;
        else
            release_page(pg);
    }
}

void cont_pool_trim(void) {
    if (spare)
        release_page(spare);
    spare = NULL;
}
// LAB 6: END SOLUTION
// LAB 6: STUB /* lab 6: the record pool is not written yet: a record from */
// LAB 6: STUB /* the heap costs 64 bytes (kernel/contpool.c) */
// LAB 6: STUB struct cont *cont_alloc(void) {
// LAB 6: STUB     struct cont *c = kzalloc(sizeof *c);
// LAB 6: STUB     live += c != NULL;
// LAB 6: STUB     return c;
// LAB 6: STUB }
// LAB 6: STUB void cont_free(struct cont *c) {
// LAB 6: STUB     live--;
// LAB 6: STUB     kfree(c);
// LAB 6: STUB }
// LAB 6: STUB void cont_pool_trim(void) {}
