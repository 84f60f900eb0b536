// capsys.c: the capability system calls (derive, revoke, drop, inspect,
// cap_type) on the caller's own table, and the kernel's side of the hooks
// cap.c calls: memory from the kernel heap, objects released by type.
//
// Relies on cap (the operations), proc (current_proc: whose table),
// uaccess (inspect's result), region and proc (releasing their objects).
#include "capsys.h"
#include "cap.h"
#include "heap.h"
#include "panic.h"
#include "proc.h"
#include "region.h"
#include "syscall.h"
#include "uaccess.h"

void *cap_hook_alloc(size_t size) { return kmalloc(size); }
void cap_hook_free(void *p) {
    if (p)
        kfree(p);
}
_Noreturn void cap_hook_panic(const char *why) { panic("%s", why); }

// The types a later snapshot adds (final/: channel ends) are its own to
// release: it defines this again. Here there are none.
__attribute__((weak)) void obj_release_more(struct object *obj) {}

void obj_release(struct object *obj) {
    // LAB 5: BEGIN SOLUTION
    if (obj->type == OBJ_REGION)
        region_release((struct region *)obj);
    else if (obj->type == OBJ_PROCESS)
        proc_object_release(obj);
    else
        obj_release_more(obj);  // the console is static: nothing to free
    // LAB 5: END SOLUTION
    // LAB 5: STUB if (obj->type == OBJ_REGION)   /* lab 5: stand-in: regions alone */
    // LAB 5: STUB     region_release((struct region *)obj);
}

static struct cap_table *caller(void) { return &current_proc->caps; }

// The handle first (as every call checks it), then the rights: a value
// past 32 bits must not pass as a smaller one.
int64_t sys_derive(uint64_t handle, uint64_t rights, uint64_t offset, uint64_t length) {
    // LAB 5: BEGIN SOLUTION
    struct cap *c;
    int err = cap_lookup(caller(), handle, 0, 0, &c);
    if (err)
        return err;
    if (rights > CAP_ALL)
        return E_INVAL;
    return cap_derive(caller(), handle, (uint32_t)rights, offset, length);
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)handle, (void)rights, (void)offset, (void)length;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: sys_derive not written yet */
}
SYSCALL(SYS_DERIVE, sys_derive);

int64_t sys_revoke(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    // LAB 5: BEGIN SOLUTION
    return cap_revoke(caller(), handle);
    // LAB 5: END SOLUTION
    // LAB 5: STUB (void)handle;
    // LAB 5: STUB return E_NOSYS;   /* lab 5: sys_revoke not written yet */
}
SYSCALL(SYS_REVOKE, sys_revoke);

int64_t sys_drop(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    return cap_drop(caller(), handle);
}
SYSCALL(SYS_DROP, sys_drop);

// inspect(handle, out): the handle is checked before the pointer.
int64_t sys_inspect(uint64_t handle, uint64_t out, uint64_t unused1, uint64_t unused2) {
    struct cap_info info;
    struct cap *c;
    int err = cap_inspect(caller(), handle, &info);
    if (err)
        return err;
    cap_lookup(caller(), handle, 0, 0, &c);
    if (c->obj->type == OBJ_REGION)
        info.base += ((struct region *)c->obj)->va;
    return copy_to_user(current_proc->root, out, &info, sizeof info);
}
SYSCALL(SYS_INSPECT, sys_inspect);

// The cheapest call that still checks a handle: benchmarks measure it.
int64_t sys_cap_type(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    // LAB 5: BEGIN SOLUTION
    struct cap *c;
    int err = cap_lookup(caller(), handle, 0, 0, &c);
    return err ? err : (int64_t)((uint64_t)c->obj->type << 8 | c->rights);
    // LAB 5: END SOLUTION
    // LAB 5: STUB struct cap *c;   /* lab 5: stand-in: the type alone, no rights */
    // LAB 5: STUB int err = cap_lookup(caller(), handle, 0, 0, &c);
    // LAB 5: STUB return err ? err : (int64_t)((uint64_t)c->obj->type << 8);
}
SYSCALL(SYS_CAP_TYPE, sys_cap_type);
