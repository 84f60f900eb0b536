// region.c: memory regions (region.h) and the region_new system call.
//
// Owns: region objects, their frames and their address ranges. Relies on
// vregion (address space), frame (memory), cap (the capability that names
// the new region; its install hook maps it in the holder's view).
#include "region.h"
#include "frame.h"
#include "heap.h"
#include "memlayout.h"
#include "paging.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"
#include "vregion.h"

static uint64_t live_regions;

uint64_t region_live_count(void) { return live_regions; }

// final/ gives each region page tables of its own, in a slot of the
// address space of its own (rtable.c defines these three again). Here a
// region's range is its length, and it has no tables.
__attribute__((weak)) uint64_t region_slot_size(uint64_t len) { return vregion_size(len); }
__attribute__((weak)) int region_tables_new(struct region *r) { return 0; }
__attribute__((weak)) void region_tables_free(struct region *r) {}

// Give back what a region has: tables, frames (those allocated so far),
// range, record.
static void free_region(struct region *r, uint64_t nframes) {
    region_tables_free(r);
    for (uint64_t i = 0; i < nframes; i++)
        frame_free(r->frames[i]);
    vregion_free(r->va, region_slot_size(r->obj.size));
    kfree(r);
}

void region_release(struct region *r) {
    free_region(r, r->npages);
    live_regions--;
}

// The region object, its range, its zeroed frames (and in final/ its
// tables); NULL when out of memory.
static struct region *alloc_region(uint64_t len, uint32_t rights) {
    uint64_t npages = len / PAGE_SIZE;
    struct region *r = kmalloc(sizeof *r + npages * sizeof r->frames[0]);
    if (!r)
        return NULL;
    *r = (struct region){
        .obj = {.type = OBJ_REGION, .size = len}, .rights = rights, .npages = npages};
    if (vregion_alloc(region_slot_size(len), &r->va) != 0) {
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
    if (region_tables_new(r) != 0) {
        free_region(r, npages);
        return NULL;
    }
    return r;
}

int64_t region_new(struct cap_table *t, uint64_t len, uint32_t rights) {
    // LAB 5: BEGIN SOLUTION
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
    // LAB 5: END SOLUTION
    // LAB 5: STUB /* lab 5: stand-in: no argument is checked (length, rights, W^X) */
    // LAB 5: STUB len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    // LAB 5: STUB struct region *r = alloc_region(len, rights);
    // LAB 5: STUB if (!r)
    // LAB 5: STUB     return E_NOMEM;
    // LAB 5: STUB live_regions++;
    // LAB 5: STUB int64_t handle = cap_create(t, &r->obj, rights | CAP_GRANT, 0, len);
    // LAB 5: STUB if (handle < 0)
    // LAB 5: STUB     region_release(r);
    // LAB 5: STUB return handle;
}

int64_t sys_region_new(uint64_t len, uint64_t rights, uint64_t unused1, uint64_t unused2) {
    // LAB 5: BEGIN SOLUTION
    if (rights > CAP_ALL)
        return E_INVAL;
    return region_new(&current_proc->caps, len, (uint32_t)rights & ~CAP_GRANT);
    // LAB 5: END SOLUTION
    // LAB 5: STUB /* lab 5: stand-in: the rights are not checked */
    // LAB 5: STUB return region_new(&current_proc->caps, len, (uint32_t)rights);
}
SYSCALL(SYS_REGION_NEW, sys_region_new);
