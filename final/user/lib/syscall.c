// syscall.c: system-call wrappers (kernel/abi.h, docs/abi.md), the start
// of every program, and lab 04's calls rebuilt on capabilities; lab 06's
// continuation calls.
//
// The number goes in rax and the arguments in rdi, rsi, rdx, r10; the
// result comes back in rax. The `syscall` instruction itself overwrites rcx
// (with the return address) and r11 (with the flags), so the asm statement
// lists both as clobbered: the compiler must keep nothing there across the
// call. "memory" because the kernel may read or change memory the program
// owns (write reads the buffer; drop takes memory away).
#include "syscall.h"
#include <stddef.h>

long sys_call4(long number, long a, long b, long c, long d) {
    long result;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

long sys_call(long number, long a, long b, long c) {
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return result;
}

void exit(long code) {
    sys_call(SYS_EXIT, code, 0, 0);
    for (;;)                      // not reached: the kernel never returns
        __asm__ volatile("ud2");  // from exit; if it did, #UD ends us
}

long console_write(uint64_t console, const void *buf, unsigned long len) {
    return sys_call(SYS_WRITE, (long)console, (long)buf, (long)len);
}
long region_new(unsigned long len, unsigned rights) {
    return sys_call(SYS_REGION_NEW, (long)len, rights, 0);
}
long cap_derive(uint64_t handle, unsigned rights, unsigned long offset, unsigned long length) {
    return sys_call4(SYS_DERIVE, (long)handle, rights, (long)offset, (long)length);
}
long cap_revoke(uint64_t handle) { return sys_call(SYS_REVOKE, (long)handle, 0, 0); }
long cap_drop(uint64_t handle) { return sys_call(SYS_DROP, (long)handle, 0, 0); }
long cap_inspect(uint64_t handle, struct cap_info *out) {
    return sys_call(SYS_INSPECT, (long)handle, (long)out, 0);
}
long cap_type(uint64_t handle) { return sys_call(SYS_CAP_TYPE, (long)handle, 0, 0); }
long spawn(const char *name, const struct spawn_cap *caps, unsigned long n) {
    return sys_call4(SYS_SPAWN, (long)name, (long)__builtin_strlen(name), (long)caps, (long)n);
}
long proc_status(uint64_t handle, struct proc_status *out) {
    return sys_call(SYS_PROC_STATUS, (long)handle, (long)out, 0);
}
long ticks(void) { return sys_call(SYS_TICKS, 0, 0, 0); }

// --- Continuations (lab 06). ------------------------------------------------

long cont_queue(cont_fn fn, long arg) { return sys_call(SYS_CONT_QUEUE, (long)fn, arg, 0); }
long cont_wait_time(long n, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_TIME, n, (long)fn, arg);
}
long cont_wait_input(cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_INPUT, (long)console_handle, (long)fn, arg);
}
long cont_wait_proc(uint64_t handle, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_PROC, (long)handle, (long)fn, arg);
}
void cont_return(long value) {
    sys_call(SYS_CONT_RETURN, value, 0, 0);
    for (;;)  // not reached
        __asm__ volatile("ud2");
}
long console_read(uint64_t console, void *buf, unsigned long len) {
    return sys_call(SYS_READ, (long)console, (long)buf, (long)len);
}
long read(void *buf, unsigned long len) { return console_read(console_handle, buf, len); }

// --- Start. -------------------------------------------------------------------

uint64_t console_handle;

int main(int ncaps, const uint64_t *caps);  // lab 04's `int main(void)` fits too

int libc_start(int ncaps, const uint64_t *caps) {
    for (int i = 0; i < ncaps && !console_handle; i++)
        if (cap_type(caps[i]) >> 8 == OBJ_CONSOLE)
            console_handle = caps[i];
    return main(ncaps, caps);
}

long write(const void *buf, unsigned long len) { return console_write(console_handle, buf, len); }

// --- map and unmap: a region and its capability, remembered here. ------

#define MAPS_MAX 1024
static struct { uint64_t addr, len, handle; } maps[MAPS_MAX];

// What lab 04's kernel rounded lengths to: a power of two of pages.
static uint64_t rounded(uint64_t len) {
    uint64_t size = 4096;
    while (size < len)
        size *= 2;
    return size;
}

long map_raw(unsigned long len, int flags) {
    if (len == 0 || len > (1ul << 30) || (flags & ~(MAP_WRITE | MAP_EXEC)) ||
        flags == (MAP_WRITE | MAP_EXEC))
        return E_INVAL;
    int slot = 0;
    while (slot < MAPS_MAX && maps[slot].handle)
        slot++;
    if (slot == MAPS_MAX)
        return E_NOMEM;
    unsigned rights =
        CAP_READ | (flags & MAP_WRITE ? CAP_WRITE : 0) | (flags & MAP_EXEC ? CAP_EXEC : 0);
    long handle = region_new(len, rights);
    if (handle < 0)
        return handle == E_FULL ? E_NOMEM : handle;
    struct cap_info info;
    cap_inspect((uint64_t)handle, &info);
    maps[slot].addr = info.base;
    maps[slot].len = len;
    maps[slot].handle = (uint64_t)handle;
    return (long)info.base;
}

void *map(unsigned long len, int flags) {
    long result = map_raw(len, flags);
    return result < 0 ? NULL : (void *)result;
}

long unmap(void *addr, unsigned long len) {
    if (len == 0 || len > (1ul << 30))
        return E_INVAL;  // map() never gives more
    for (int i = 0; i < MAPS_MAX; i++) {
        if (maps[i].handle && maps[i].addr == (uint64_t)addr &&
            rounded(maps[i].len) == rounded(len)) {
            long err = cap_drop(maps[i].handle);
            maps[i].handle = 0;
            return err;
        }
    }
    return E_INVAL;
}

// --- Channels (final/). -------------------------------------------------------
long channel_new(uint64_t out[2]) { return sys_call(SYS_CHANNEL_NEW, (long)out, 0, 0); }
long chan_send(uint64_t ep, const struct msg *m) {
    return sys_call(SYS_CHAN_SEND, (long)ep, (long)m, 0);
}
long chan_recv(uint64_t ep, struct msg *m) { return sys_call(SYS_CHAN_RECV, (long)ep, (long)m, 0); }
long cont_wait_msg(uint64_t ep, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_MSG, (long)ep, (long)fn, arg);
}
long cont_wait_recv(uint64_t ep, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_RECV, (long)ep, (long)fn, arg);
}
long region_phys(uint64_t handle) { return sys_call(SYS_REGION_PHYS, (long)handle, 0, 0); }
long sysinfo(long kind, long arg, void *buf, unsigned long len) {
    return sys_call4(SYS_SYSINFO, kind, arg, (long)buf, (long)len);
}
long kill(uint64_t process) { return sys_call(SYS_KILL, (long)process, 0, 0); }
long poweroff(uint64_t power, long code) { return sys_call(SYS_POWEROFF, (long)power, code, 0); }
long trace(uint64_t power, long mode) { return sys_call(SYS_TRACE, (long)power, mode, 0); }
