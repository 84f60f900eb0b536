// run.c: the `run=a,b,c` boot mode: run programs one after another.
//
// Lab 06: each program is started and the dispatcher runs until no
// program is left (the one started, and all it spawned), then the next.
//
// Programs are the boot modules (docs/design.md): GRUB loads each with its name
// as the module string. Each starts with one capability, the console
// (READ | WRITE | GRANT), in slot 0. A name may carry arguments after
// colons: `run=sysfuzz:7:1000` runs sysfuzz with a second capability, a
// read-only region holding "7 1000" (NUL-terminated), as final/'s shell
// passes the words after a program's name. After the last one the kernel prints
//     run: done, free frames <b> -> <a>, regions <b> -> <a>, caps <b> -> <a>,
//          conts <b> -> <a>
// (frames free, regions of the address space in use, capabilities alive,
// continuation records allocated),
// each pair equal when nothing leaked, whatever the programs did, and
// powers off: 0x10 when every program exited with 0 (all 64 bits of it),
// else 0x11.
#include "cap.h"
#include "cmdline.h"
#include "console.h"
#include "counts.h"
#include "kprintf.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "panic.h"
#include "proc.h"
#include "region.h"
#include "string.h"

const uint8_t *find_program(const char *name, uint64_t *size) {
    for (int i = 0; i < bootinfo.nmodules; i++) {
        const struct boot_module *m = &bootinfo.modules[i];
        if (strcmp(m->name, name) == 0) {
            *size = m->end - m->start;
            return phys_to_virt(m->start);
        }
    }
    return NULL;
}

// The arguments "a:b" as a read-only region in p's table, holding "a b":
// its handle, or an error.
static int64_t give_arguments(struct proc *p, const char *args) {
    int64_t h = region_new(&p->caps, PAGE_SIZE, CAP_READ);
    struct cap *c;
    if (h < 0 || cap_lookup(&p->caps, (uint64_t)h, OBJ_REGION, 0, &c) != 0)
        return h;
    char *text = phys_to_virt(((struct region *)c->obj)->frames[0]);
    for (size_t i = 0; i < PAGE_SIZE - 1 && args[i]; i++)
        text[i] = args[i] == ':' ? ' ' : args[i];  // the region is zeroed: a NUL follows
    return h;
}

// Load and run one program, "name" or "name:arguments"; its exit code, or
// -1 (refused or killed).
int64_t run_program(const char *spec) {
    char name[64];
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    strlcpy(name, spec, len + 1 < sizeof name ? len + 1 : sizeof name);
    uint64_t size;
    const uint8_t *file = find_program(name, &size);
    if (!file) {
        kprintf("proc - %s: rejected: no program named '%s'\n", name, name);
        return -1;
    }
    struct proc *p = proc_load(name, file, size);
    if (!p)
        return -1;
    uint64_t handles[2];
    int n = 0;
    int64_t h = cap_create(&p->caps, &console_object, CAP_READ | CAP_WRITE | CAP_GRANT, 0, 0);
    if (h >= 0) {
        handles[n++] = (uint64_t)h;
        h = colon ? give_arguments(p, colon + 1) : 0;
        if (colon && h >= 0)
            handles[n++] = (uint64_t)h;
    }
    if (h < 0) {
        kprintf("proc - %s: rejected: out of memory\n", name);
        proc_free(p);
        return -1;
    }
    proc_set_start_handles(p, handles, n);
    return proc_run(p);
}

static void run_action(const char *list) {
    struct live_counts before, after;
    live_counts(&before);
    bool all_exited_0 = true;
    char name[64];
    for (const char *p = list ? list : ""; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len > 0 && len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            all_exited_0 = run_program(name) == 0 && all_exited_0;
        } else if (len > 0) {
            kprintf("proc - (name too long): rejected: a program name has at most %d characters\n",
                    (int)sizeof name - 1);
            all_exited_0 = false;
        }
        p = comma ? comma + 1 : p + len;
    }
    live_counts(&after);
    kprintf("run: done, free frames %lu -> %lu, regions %lu -> %lu, caps %lu -> %lu, conts %lu -> "
            "%lu\n",
            before.free_frames, after.free_frames, before.regions, after.regions, before.caps,
            after.caps, before.conts, after.conts);
    power_off(all_exited_0 ? EXIT_PASS : EXIT_FAIL);
}
CMDLINE_KEY(run, "run=a,b,c: run those programs (boot modules) one after another, then power off",
            run_action);
