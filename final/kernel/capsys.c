// capsys.c: the capability system calls (derive, revoke, drop, inspect,
// cap_type) on the caller's own table, and the kernel's side of the hooks
// cap.c calls: memory from the kernel heap, objects released by type.
//
// Relies on cap (the operations), proc (current_proc: whose table),
// uaccess (inspect's result), region and proc (releasing their objects).
#include "capsys.h"
#include "cap.h"
#include "channel.h"
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

void obj_release(struct object *obj) {
    if (obj->type == OBJ_REGION)
        region_release((struct region *)obj);
    else if (obj->type == OBJ_PROCESS)
        proc_object_release(obj);
    else if (obj->type == OBJ_CHANNEL)
        endpoint_release(obj);
    // the console is static: nothing to free
}

static struct cap_table *caller(void) { return &current_proc->caps; }

// The handle first (as every call checks it), then the rights: a value
// past 32 bits must not pass as a smaller one.
int64_t sys_derive(uint64_t handle, uint64_t rights, uint64_t offset, uint64_t length) {
    struct cap *c;
    int err = cap_lookup(caller(), handle, 0, 0, &c);
    if (err)
        return err;
    if (rights > CAP_ALL)
        return E_INVAL;
    return cap_derive(caller(), handle, (uint32_t)rights, offset, length);
}
SYSCALL(SYS_DERIVE, sys_derive);

int64_t sys_revoke(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    return cap_revoke(caller(), handle);
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
    struct cap *c;
    int err = cap_lookup(caller(), handle, 0, 0, &c);
    return err ? err : (int64_t)((uint64_t)c->obj->type << 8 | c->rights);
}
SYSCALL(SYS_CAP_TYPE, sys_cap_type);
