; ktest_jump.asm: setjmp and longjmp for the test framework.
;
; ktest_setjmp(j) saves the registers a C function must preserve, the stack
; pointer and its return address, and returns 0. ktest_longjmp(j, v) makes
; that same call return again, with v. The fault handler in ktest.c does the
; same through an interrupt frame, which is how a test survives a fault.
; struct ktest_jump in ktest.h: rbx, rbp, r12, r13, r14, r15, rsp, rip.

bits 64
section .text

global ktest_setjmp
ktest_setjmp:
    mov [rdi + 0], rbx
    mov [rdi + 8], rbp
    mov [rdi + 16], r12
    mov [rdi + 24], r13
    mov [rdi + 32], r14
    mov [rdi + 40], r15
    lea rax, [rsp + 8]                  ; the caller's rsp after we return
    mov [rdi + 48], rax
    mov rax, [rsp]                      ; our return address
    mov [rdi + 56], rax
    xor eax, eax
    ret

global ktest_longjmp
ktest_longjmp:
    mov eax, esi
    mov rbx, [rdi + 0]
    mov rbp, [rdi + 8]
    mov r12, [rdi + 16]
    mov r13, [rdi + 24]
    mov r14, [rdi + 32]
    mov r15, [rdi + 40]
    mov rsp, [rdi + 48]
    jmp [rdi + 56]
