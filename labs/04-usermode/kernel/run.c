// run.c: the `run=a,b,c` boot mode: run programs one after another.
//
// Programs are the boot modules (docs/design.md): GRUB loads each with its name
// as the module string. After the last one the kernel prints
//     run: done, free frames <before> -> <after>, regions <before> -> <after>
// (frames free, regions of the address space in use), each pair equal when
// nothing leaked, whatever the programs did, and powers off: 0x10 when
// every program exited with 0 (all 64 bits of it), else 0x11.
#include "cmdline.h"
#include "frame.h"
#include "heap.h"
#include "kprintf.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "panic.h"
#include "proc.h"
#include "string.h"
#include "vregion.h"

static const struct boot_module *find_module(const char *name) {
    for (int i = 0; i < bootinfo.nmodules; i++)
        if (strcmp(bootinfo.modules[i].name, name) == 0)
            return &bootinfo.modules[i];
    return NULL;
}

// Load and run one program; its exit code, or -1 (refused or killed).
int64_t run_program(const char *name) {
    const struct boot_module *m = find_module(name);
    if (!m) {
        kprintf("proc - %s: rejected: no program named '%s'\n", name, name);
        return -1;
    }
    struct proc *p = proc_load(name, phys_to_virt(m->start), m->end - m->start);
    return p ? proc_run(p) : -1;
}

static void run_action(const char *list) {
    heap_trim();  // count only frames really in use
    uint64_t before = frame_free_count(), regions_before = vregion_count();
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
    heap_trim();
    kprintf("run: done, free frames %lu -> %lu, regions %lu -> %lu\n", before, frame_free_count(),
            regions_before, vregion_count());
    power_off(all_exited_0 ? EXIT_PASS : EXIT_FAIL);
}
CMDLINE_KEY(run, "run=a,b,c: run those programs (boot modules) one after another, then power off",
            run_action);
