// region.c: memory regions (region.h) and the region_new system call.
//
// Owns: region objects, their frames, their address ranges and the page
// tables that map them (rtable.h: each region has a slot of the address
// space, 2 MiB or 1 GiB, and tables of its own). Relies on vregion
// (address space), frame (memory), cap (the capability that names the new
// region; its install hook links it in the holder's view).
#include "region.h"
#include "frame.h"
#include "heap.h"
#include "memlayout.h"
#include "paging.h"
#include "proc.h"
#include "rtable.h"
#include "string.h"
#include "syscall.h"
#include "vregion.h"

static uint64_t live_regions;

uint64_t region_live_count(void) { return live_regions; }

// Give back what a region has: tables, frames (those allocated so far),
// range, record.
static void free_region(struct region *r, uint64_t nframes) {
    if (r->table)
        rtable_free(r->table, r->npages);
    for (uint64_t i = 0; i < nframes; i++)
        frame_free(r->frames[i]);
    vregion_free(r->va, rtable_slot_size(r->npages));
    kfree(r);
}

void region_release(struct region *r) {
    free_region(r, r->npages);
    live_regions--;
}

// The region object, its slot, its zeroed frames and its tables, which
// map every page with `rights`; NULL when out of memory.
static struct region *alloc_region(uint64_t len, uint32_t rights) {
    uint64_t npages = len / PAGE_SIZE;
    struct region *r = kmalloc(sizeof *r + npages * sizeof r->frames[0]);
    if (!r)
        return NULL;
    *r = (struct region){
        .obj = {.type = OBJ_REGION, .size = len}, .rights = rights, .npages = npages};
    if (vregion_alloc(rtable_slot_size(npages), &r->va) != 0) {
        kfree(r);
        return NULL;
    }
    for (uint64_t i = 0; i < npages; i++) {
        r->frames[i] = frame_alloc();
        if (!r->frames[i]) {
            free_region(r, i);
            return NULL;
        }
        memset(phys_to_virt(r->frames[i]), 0, PAGE_SIZE);
    }
    if (!(r->table = rtable_new(npages))) {
        free_region(r, npages);
        return NULL;
    }
    for (uint64_t i = 0; i < npages; i++)
        *rtable_leaf(r->table, npages, i) = rtable_leaf_entry(r->frames[i], rights);
    return r;
}

int64_t region_new(struct cap_table *t, uint64_t len, uint32_t rights) {
    if (len == 0 || len > REGION_MAX_LEN || (rights & ~(CAP_READ | CAP_WRITE | CAP_EXEC)))
        return E_INVAL;
    if ((rights & CAP_WRITE) && (rights & CAP_EXEC))
        return E_INVAL;  // W^X: never both on a new region
    len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    struct region *r = alloc_region(len, rights);
    if (!r)
        return E_NOMEM;
    live_regions++;
    int64_t handle = cap_create(t, &r->obj, rights | CAP_GRANT, 0, len);
    if (handle < 0)
        region_release(r);  // no capability names it: it goes
    return handle;
}

int64_t sys_region_new(uint64_t len, uint64_t rights, uint64_t unused1, uint64_t unused2) {
    if (rights > CAP_ALL)
        return E_INVAL;
    return region_new(&current_proc->caps, len, (uint32_t)rights & ~CAP_GRANT);
}
SYSCALL(SYS_REGION_NEW, sys_region_new);
