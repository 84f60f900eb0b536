// main.c: kmain, where C starts (called by boot.asm).
//
// The order matters: the serial port first, so that everything after can
// speak; the GDT and IDT next, so that a mistake becomes a readable panic
// rather than a silent reset; then the boot information, the interrupt
// controller and the timer; then every subsystem registered with INITCALL;
// then interrupts on and whatever the command line asks for.
#include "cmdline.h"
#include "gdt.h"
#include "init.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "panic.h"
#include "pic.h"
#include "serial.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"

extern const initcall_fn __initcalls_start[], __initcalls_end[];

// The TSC at the kernel's first instruction (boot.asm's _start) and once
// every subsystem is up: under QEMU's icount mode their difference is the
// boot's instruction count (bench.c).
uint64_t boot_tsc_start, boot_tsc_ready;

void run_initcalls(void) {
    for (const initcall_fn *fn = __initcalls_start; fn < __initcalls_end; fn++)
        (*fn)();
}

static void read_boot_information(uint64_t info_phys) {
    const char *error;
    // The size is not known before reading the header: allow the maximum,
    // mb2_parse checks the header's own total size against it.
    if (mb2_parse(phys_to_virt(info_phys), MB2_MAX_INFO_SIZE, &bootinfo, &error) < 0)
        panic("multiboot2: %s (information at %p)", error, (void *)info_phys);
    bootinfo.info_phys = info_phys;
    kprintf("mem: %lu KiB usable\n", bootinfo.usable_bytes / 1024);
    kprintf("boot: loader '%s', %d memory regions, %d modules, cmdline '%s'\n", bootinfo.loader,
            bootinfo.nregions, bootinfo.nmodules, bootinfo.cmdline);
    if (bootinfo.modules_ignored)
        kprintf("boot: %d modules past the first %d ignored\n", bootinfo.modules_ignored,
                MB2_MAX_MODULES);
    if (bootinfo.cmdline_truncated)
        kprintf("boot: the command line is longer than %d bytes; the rest is ignored\n",
                (int)sizeof bootinfo.cmdline - 1);
}

void kmain(uint32_t magic, uint64_t info_phys) {
    serial_init();
    kprintf("baton %s: booting\n", SNAPSHOT);
    gdt_init();
    idt_init();
    read_boot_information(info_phys);
    cmdline_init(bootinfo.cmdline);
    pic_init();
    timer_init();
    run_initcalls();
    boot_tsc_ready = rdtsc();
    sti();
    cmdline_run_actions();

    kprintf("boot: done; nothing more to do in %s (Ctrl-A X leaves QEMU)\n", SNAPSHOT);
    for (;;)
        hlt();
}
