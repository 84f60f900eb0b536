// start.S: where every program begins.
//
// The kernel enters _start (the ELF entry point) in user mode with rsp
// just below the program's initial capability handles, rdi = how many,
// rsi = their address, and every other register zero (lab 05). _start
// hands them to libc_start (syscall.c), which notes the console handle for
// write() and calls main(ncaps, caps); its result goes to exit(): there is
// nowhere to return to.
//
// Why assembly: the C calling convention wants rsp + 8 to be a multiple of
// 16 at a function's first instruction, as if a `call` had just pushed a
// return address. Nobody called _start, so it lines the stack up itself:
// round rsp down to 16, and the `call` pushes the 8.

    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp          // the outermost frame: a debugger's backtrace ends here
    and $-16, %rsp          // 16-byte aligned (the kernel does it, but be sure)
    call libc_start         // rdi, rsi: as the kernel gave them
    movslq %eax, %rdi       // exit(main's return value), an int made 64-bit
    call exit
    ud2                     // exit does not return; if it did, #UD ends us
    .size _start, . - _start

// This file needs no executable stack (without this note the linker
// would assume it does).
    .section .note.GNU-stack, "", @progbits
