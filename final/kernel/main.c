// main.c: kmain, where C starts (boot.asm calls it). Its body is the
// kernel's table of contents: every subsystem starts here, in order.
//
// The order matters: the serial port first, so that everything after can
// speak; the GDT and IDT next, so that a mistake becomes a readable panic
// rather than a silent reset; then the boot information, which the command
// line and the memory subsystems read; then the interrupt controller and the
// timer; then (lab 02) physical frames and the kernel's own page tables; (lab
// 03) the buddy allocator takes over frames and address space, and the kernel
// heap starts; (lab 04) the stacks and MSRs that user mode needs; (lab 06)
// the dispatcher's budget and the one kernel stack, then the events
// (console input interrupts: after the PIC, and once the heap exists);
// then interrupts on and whatever the command line asks for; (final/)
// when it asks for nothing, the shell.
#include "bench.h"
#include "channel.h"
#include "cmdline.h"
#include "cont.h"
#include "failalloc.h"
#include "frame.h"
#include "gdt.h"
#include "heap.h"
#include "kprintf.h"
#include "kvm.h"
#include "multiboot2.h"
#include "pic.h"
#include "serial.h"
#include "syscall.h"
#include "usergdt.h"
#include "timer.h"
#include "trace.h"
#include "trap.h"
#include "vregion.h"
#include "x86.h"

void kmain(uint32_t magic, uint64_t info_phys) {
    serial_init();
    kprintf("baton %s: booting\n", SNAPSHOT);
    gdt_init();
    idt_init();
    multiboot2_init(info_phys);
    cmdline_init(bootinfo.cmdline);
    pic_init();
    timer_init();
    frame_init();                  // free physical frames, in the buddy allocator
    kvm_init();                    // the kernel's page tables: direct map, W^X
    frame_add_high_memory();       // frames above 4 GiB, now that they are mapped
    kheap_init();                  // kmalloc and kfree
    vregion_init();                // the address space programs get regions from
    user_segments_init();          // ring-3 code and data segments
    syscall_init();                // syscall/sysret, SMEP and SMAP
    sched_init();                  // the time budget, the one kernel stack
    event_init();                  // console input: the serial receive interrupt
    sched_deliver = chan_deliver;  // final/: a woken receiver gets its message as it starts
    sys_init();                    // final/: the live programs, the trace, channel waits
    trace_init();                  // final/: `trace` on the command line: record from boot

    boot_tsc_ready = rdtsc();  // the boot_to_ready benchmark ends here
    sti();
    failalloc_start();      // failalloc=N counts allocations from here
    cmdline_run_actions();  // test, run=, bench: each powers off

    shell_boot();  // final/: the normal boot starts the shell (sys.c)
}
