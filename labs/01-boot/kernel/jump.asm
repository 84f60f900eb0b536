; jump.asm: jump_save and jump_back (see jump.h), setjmp and longjmp for
; the kernel. struct jump_point in jump.h: rbx, rbp, r12, r13, r14, r15,
; rsp, rip. ktest.c's fault handler also resumes a saved place, through an
; interrupt frame: that is how a test survives a fault.

bits 64
section .text

global jump_save
jump_save:
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

global jump_back
jump_back:
    mov eax, esi
    mov rbx, [rdi + 0]
    mov rbp, [rdi + 8]
    mov r12, [rdi + 16]
    mov r13, [rdi + 24]
    mov r14, [rdi + 32]
    mov r15, [rdi + 40]
    mov rsp, [rdi + 48]
    jmp [rdi + 56]
