// init.h: registering a subsystem's start-up function from its own file.
//
//     INITCALL(2, heap_init);
//
// kmain runs the registered functions after the core (serial, interrupts,
// timer) is up, level by level (1 first), so a later lab adds a subsystem
// by adding a file. Within a level the order is the link order.
#pragma once

typedef void (*initcall_fn)(void);
#define INITCALL(level, fn) \
    static const initcall_fn initcall_##fn \
        __attribute__((used, section(".initcalls." #level), aligned(8))) = fn

void run_initcalls(void);
