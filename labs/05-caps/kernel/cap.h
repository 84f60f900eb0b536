// cap.h: capabilities: objects, per-process tables, the derivation tree.
//
// An object (a region, a process, the console) is reached only through a
// capability: a small record saying which object, with which rights, over
// which part of it (regions: an offset and a length), held by which table.
// A program names a capability by a handle, an index into its own table:
//
//   63            32 31        16 15             0
//   [      zero     ][   slot    ][  generation   ]
//
// Each slot keeps a generation that changes every time the slot is
// emptied, so a handle kept after a drop, a revoke or a reuse of its slot
// no longer matches; generations start at 1 and skip 0, so 0 is never a
// handle. A handle from another table names a slot of the caller's own,
// where it fails the same way (or, by chance, names one of the caller's
// own capabilities: never anything the caller does not hold).
//
// Every capability made from another (derive, a copy handed to a child)
// is its child in the derivation tree; revoke deletes a capability's
// descendants wherever they are held.
//
// cap.c is plain C with no paging or heap of its own: it calls the hooks
// below, which the kernel implements (view.c, region.c, procrun.c, console)
// and the host test replaces (host/cap_host_test.c).
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "abi.h"

#define CAP_FIRST_SLOTS 16    // a table starts with this many slots,
#define CAP_MAX_SLOTS   4096  // doubles when full, up to this many

// The common head of every object. refs counts the capabilities naming
// it; when the last goes, obj_release frees the object.
struct object {
    int type;  // OBJ_REGION, OBJ_PROCESS, OBJ_CONSOLE
    int refs;
    uint64_t size;  // a region's length in bytes; 0 for the others
};

struct cap_table;

struct cap {
    struct object *obj;
    uint32_t rights;          // CAP_READ | CAP_WRITE | CAP_EXEC | CAP_GRANT
    uint32_t slot;            // its index in holder->entries
    uint64_t offset, length;  // the part of a region it covers
    struct cap_table *holder;
    struct cap *parent;       // NULL for an original (region_new, spawn, boot)
    struct cap *first_child;  // children: a doubly linked list
    struct cap *next_sibling, *prev_sibling;
};

#define CAP_NO_SLOT 0xffffffffu  // the end of a table's free list

struct cap_entry {
    struct cap *cap;     // NULL: the slot is free
    uint32_t gen;        // the generation a handle must carry
    uint32_t next_free;  // a free slot: the next one on the free list
};

struct cap_table {
    struct cap_entry *entries;
    uint32_t nslots;     // CAP_FIRST_SLOTS .. CAP_MAX_SLOTS (0 before the first)
    uint32_t used;       // slots holding a capability
    uint32_t free_head;  // the first free slot (CAP_NO_SLOT: none)
    void *view;          // the holder's root page table (NULL: maps nothing)
};

// --- Hooks the kernel provides (the host test provides its own). ---------
// A capability was put in a table / is about to leave it: update the
// holder's view. installed may fail (no memory for a page table): then
// the capability is not made and its error is returned.
int cap_hook_installed(struct cap_table *holder, struct cap *c);
void cap_hook_removed(struct cap_table *holder, struct cap *c);
// The last capability naming obj is gone: free it.
void obj_release(struct object *obj);
// Memory for capability records and tables (kmalloc/kfree in the kernel).
void *cap_hook_alloc(size_t size);
void cap_hook_free(void *p);
// Stop everything with a message (panic in the kernel).
_Noreturn void cap_hook_panic(const char *why);

// --- Tables. ---------------------------------------------------------------
void cap_table_init(struct cap_table *t, void *view);
// Delete every capability in t (as drop does: children re-parented), and
// free its slots. t is empty and may be used again.
void cap_table_destroy(struct cap_table *t);
uint64_t cap_handle(const struct cap *c);
// Make room for n more capabilities without failing later: 0, E_FULL or E_NOMEM.
int cap_reserve(struct cap_table *t, uint32_t n);

// --- Operations (each returns a handle >= 0 or 0 on success, or an E_ error). --
// Look a handle up: E_BADHANDLE (0, out of range, empty, wrong generation),
// E_TYPE (type != 0 and the object is of another type), E_RIGHTS (a right
// in `rights` missing), checked in that order.
int cap_lookup(struct cap_table *t, uint64_t handle, int type, uint32_t rights, struct cap **out);
// A new original capability to obj (its refs counted), in t: the handle.
int64_t cap_create(struct cap_table *t, struct object *obj, uint32_t rights, uint64_t offset,
                   uint64_t length);
int64_t cap_derive(struct cap_table *t, uint64_t handle, uint32_t rights, uint64_t offset,
                   uint64_t length);
int cap_revoke(struct cap_table *t, uint64_t handle);
int cap_drop(struct cap_table *t, uint64_t handle);
int cap_inspect(struct cap_table *t, uint64_t handle, struct cap_info *out);
// Hand c on to table `to` (the caller has checked CAP_GRANT): a copy, a
// child of c with its rights and range. The new handle, or E_FULL /
// E_NOMEM with nothing changed.
int64_t cap_copy_to(struct cap *c, struct cap_table *to);
// A move is a copy, then (once nothing can fail any more) cap_replace:
// the copy takes c's place in the tree (c's parent, c's children) and c
// is deleted from its holder. Cannot fail.
void cap_replace(struct cap *c, struct cap *copy);

// Capabilities alive in every table, for the `run: done` line and tests.
uint64_t cap_live_count(void);
// cap.c keeps a few freed capability records for reuse (derive and drop
// then skip the heap); cap_trim gives them back, before the heap is
// trimmed and its frames counted.
void cap_trim(void);
