// sys.c: the shell's system calls (final/): what is running, what it
// holds, the memory counts; kill; power off; a region's physical address.
//
//   sysinfo(kind, arg, buf, len)  kind SYSINFO_PROGRAM: the name of boot
//                                 module `arg`; SYSINFO_PROC: live program
//                                 number `arg`; SYSINFO_CAPS: the
//                                 capabilities of the program with pid
//                                 `arg`, up to len entries (the count);
//                                 SYSINFO_MEM: the counts of run: done;
//                                 SYSINFO_TRACE: the line of trace event
//                                 `arg` or the next one kept (trace.c)
//   kill(process handle)          CAP_WRITE on it: the program ends, killed
//   poweroff(power handle, code)  CAP_WRITE on the power object: QEMU exits
//   region_phys(handle)           CAP_READ on a region: its first frame
//
// sysinfo reads only names and counts, so it needs no capability; kill
// and poweroff need one each (a spawned program's parent holds its
// process capability with WRITE; only the shell is given the power one).
#include "abi.h"
#include "cap.h"
#include "console.h"
#include "channel.h"
#include "counts.h"
#include "kprintf.h"
#include "multiboot2.h"
#include "panic.h"
#include "proc.h"
#include "region.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "uaccess.h"

struct object power_object = {.type = OBJ_POWER};

// --- The programs that live (ps, caps), kept through procrun.c's hooks,
// which also tell the trace and the channels of each start and end. ---

static struct proc *live_list;  // started and not yet ended, newest first

static void program_started(struct proc *p, struct cont *main) {
    p->live_next = live_list;
    p->live_prev = NULL;
    if (live_list)
        live_list->live_prev = p;
    live_list = p;
    trace_new(main);
}

static void program_ending(struct proc *p, int state, int64_t code) {
    trace_exit(p, state, code);
    channel_cancel(p);  // its waits for messages
    if (p->live_prev)
        p->live_prev->live_next = p->live_next;
    else
        live_list = p->live_next;
    if (p->live_next)
        p->live_next->live_prev = p->live_prev;
}

void sys_init(void) {
    proc_started = program_started;
    proc_ending = program_ending;
}

int64_t sys_region_phys(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_REGION, CAP_READ, &c);
    if (err)
        return err;
    struct region *r = (struct region *)c->obj;
    return (int64_t)r->frames[c->offset / PAGE_SIZE];
}
SYSCALL(SYS_REGION_PHYS, sys_region_phys);

static struct proc *find_pid(uint64_t pid) {
    for (struct proc *p = live_list; p; p = p->live_next)
        if ((uint64_t)p->pid == pid)
            return p;
    return NULL;
}

static int64_t caps_of(uint64_t pid, uint64_t buf, uint64_t len) {
    struct proc *p = find_pid(pid);
    if (!p)
        return E_NOENT;
    if (len > 4096)
        return E_INVAL;
    int err = check_user_range(current_proc->root, buf, len * sizeof(struct sys_cap), true);
    if (err)
        return err;
    uint64_t n = 0;
    for (uint32_t i = 0; i < p->caps.nslots && n < len; i++) {
        struct cap *c = p->caps.entries[i].cap;
        if (!c)
            continue;
        uint64_t base = 0;
        if (c->obj->type == OBJ_REGION)
            base = ((struct region *)c->obj)->va + c->offset;
        struct sys_cap out = {cap_handle(c), (uint64_t)c->obj->type, c->rights, base, c->length};
        copy_to_user(current_proc->root, buf + n * sizeof out, &out, sizeof out);
        n++;
    }
    return (int64_t)n;
}

int64_t sys_sysinfo(uint64_t kind, uint64_t arg, uint64_t buf, uint64_t len) {
    if (kind == SYSINFO_PROGRAM) {
        if (arg >= (uint64_t)bootinfo.nmodules)
            return E_NOENT;
        const char *name = bootinfo.modules[arg].name;
        uint64_t n = strlen(name) + 1;
        if (n > len)
            return E_INVAL;
        return copy_to_user(current_proc->root, buf, name, n);
    }
    if (kind == SYSINFO_PROC) {
        struct proc *p = live_list;
        for (uint64_t i = 0; p && i < arg; i++)
            p = p->live_next;
        if (!p)
            return E_NOENT;
        if (len != sizeof(struct sys_proc))
            return E_INVAL;
        struct sys_proc out = {.pid = (uint64_t)p->pid, .caps = p->caps.used, .conts = p->conts};
        strlcpy(out.name, p->name, sizeof out.name);
        return copy_to_user(current_proc->root, buf, &out, sizeof out);
    }
    if (kind == SYSINFO_CAPS)
        return caps_of(arg, buf, len);
    if (kind == SYSINFO_MEM) {
        if (len != sizeof(struct sys_mem))
            return E_INVAL;
        struct live_counts c;  // what run: done counts (spares given back first)
        live_counts(&c);
        struct sys_mem out = {c.free_frames, c.regions, c.caps, c.conts, c.channels};
        return copy_to_user(current_proc->root, buf, &out, sizeof out);
    }
    if (kind == SYSINFO_TRACE) {
        char text[TRACE_LINE_MAX];
        if (len < sizeof text)
            return E_INVAL;
        int64_t seq = trace_line(arg, text, sizeof text);
        if (seq < 0)
            return E_NOENT;
        int err = copy_to_user(current_proc->root, buf, text, strlen(text) + 1);
        return err ? err : seq;
    }
    return E_INVAL;
}
SYSCALL(SYS_SYSINFO, sys_sysinfo);

int64_t sys_kill(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3) {
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_PROCESS, CAP_WRITE, &c);
    if (err)
        return err;
    struct proc *p = ((struct proc_object *)c->obj)->proc;
    if (!p)
        return E_CLOSED;  // it has ended already
    char reason[64];
    snprintf(reason, sizeof reason, "killed by %s (pid %d)", current_proc->name, current_proc->pid);
    if (p == current_proc)
        proc_kill_current(reason);
    proc_end(p, PROC_KILLED, -1, reason);
    return 0;
}
SYSCALL(SYS_KILL, sys_kill);

int64_t sys_poweroff(uint64_t handle, uint64_t code, uint64_t unused2, uint64_t unused3) {
    struct cap *c;
    int err = cap_lookup(&current_proc->caps, handle, OBJ_POWER, CAP_WRITE, &c);
    if (err)
        return err;
    kprintf("poweroff: requested by %s (pid %d)\n", current_proc->name, current_proc->pid);
    power_off(code == 0 ? EXIT_PASS : EXIT_FAIL);
}
SYSCALL(SYS_POWEROFF, sys_poweroff);

// The normal boot: the shell, with the console and the power object, then
// power off when it ends (`poweroff` ends the machine itself).
_Noreturn void shell_boot(void) {
    uint64_t size;
    const uint8_t *file = find_program("sh", &size);
    struct proc *p = file ? proc_load("sh", file, size) : NULL;
    if (!p)
        panic("no shell: the boot modules hold no program called sh");
    int64_t h[2];
    h[0] = cap_create(&p->caps, &console_object, CAP_READ | CAP_WRITE | CAP_GRANT, 0, 0);
    h[1] = cap_create(&p->caps, &power_object, CAP_WRITE, 0, 0);
    if (h[0] < 0 || h[1] < 0)
        panic("no memory for the shell's capabilities");
    proc_set_start_handles(p, (uint64_t *)h, 2);
    int64_t code = proc_run(p);
    kprintf("shell: ended with %ld; powering off\n", code);
    power_off(code == 0 ? EXIT_PASS : EXIT_FAIL);
}
