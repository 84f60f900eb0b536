// start.S: where every continuation begins (lab 06).
//
// The kernel enters _start (the ELF entry point) in user mode for every
// continuation the program runs, on its user stack reset to the top (just
// below its initial capability handles), with
//     rdi = fn, rsi = arg, rdx = value    and every other register zero.
// fn 0 means the first continuation: then rsi and rdx are the number of
// handles and their address, and _start calls libc_start (syscall.c),
// which calls main(ncaps, caps). Otherwise it calls fn(arg, value). What
// the function returns goes to cont_return: 0 for "nothing more" (the
// program goes on with what it queued or waits for), anything else ends
// the program with that code (a negative one is an error). There is
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
    test %rdi, %rdi
    jz 1f
    mov %rdi, %rax          // a continuation: fn(arg, value)
    mov %rsi, %rdi
    mov %rdx, %rsi
    call *%rax
    jmp 2f
1:  mov %rsi, %rdi          // the first: libc_start(ncaps, caps), main's int
    mov %rdx, %rsi
    call libc_start
    movslq %eax, %rax
2:  mov %rax, %rdi
    call cont_return        // does not return; if it did, #UD ends us
    ud2
    .size _start, . - _start

// This file needs no executable stack (without this note the linker
// would assume it does).
    .section .note.GNU-stack, "", @progbits
