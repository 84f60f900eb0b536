; userentry.asm: crossing between user mode and the kernel.
;
; syscall_entry: the CPU jumps here on `syscall` (LSTAR), in ring 0 but
; still on the user's stack, with the user's return address in rcx and
; flags in r11 (SFMASK has cleared IF, so nothing interrupts us). We switch
; to the kernel stack for user entries, save what sysret needs, pass the
; call's number and arguments to syscall_dispatch (syscall.c) as a struct,
; clear the scratch registers so no kernel value leaks to the program, and
; return with sysret.
;
; The sysret hazard: sysret with a non-canonical rcx raises #GP in ring 0,
; on the user's stack, which a malicious program could aim. So when the
; return address is not a lower-half address we return with iretq instead;
; its #GP is taken while the kernel stack is still ours, and proc.c kills
; the program (it recognises the fault at syscall_bad_return).
;
; enter_user: the first entry into a program, an iretq to ring 3.

bits 64
USER_DS equ 0x18 | 3
USER_CS equ 0x20 | 3
RFLAGS_IF equ 1 << 9

section .bss
alignb 16
global user_kstack, user_kstack_top
user_kstack:     resb 16384            ; the kernel stack for entries from user mode
user_kstack_top:
syscall_user_rsp: resq 1

section .text
extern syscall_dispatch

global syscall_entry
syscall_entry:
    mov [rel syscall_user_rsp], rsp
    lea rsp, [rel user_kstack_top]
    push qword [rel syscall_user_rsp]    ; struct syscall_frame, from the end:
    push r11                             ;   rsp, rflags, rip,
    push rcx
    push r9                              ;   then the arguments
    push r8
    push r10                             ;   (the fourth is in r10: rcx is taken)
    push rdx
    push rsi
    push rdi
    push rax                             ;   and the number
    mov rdi, rsp
    call syscall_dispatch                ; rax = the result
    add rsp, 7 * 8
    pop rcx                              ; user rip
    pop r11                              ; user rflags
    pop rsi                              ; user rsp
    xor edx, edx                         ; leave nothing of the kernel's behind
    xor edi, edi
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    mov rdx, rcx
    sar rdx, 47                          ; 0 only for a lower-half address
    jnz .return_with_iret
    xor edx, edx
    mov rsp, rsi
    xor esi, esi
    o64 sysret
.return_with_iret:
    xor edx, edx
    push USER_DS
    push rsi
    push r11
    push USER_CS
    push rcx
    xor esi, esi
global syscall_bad_return
syscall_bad_return:
    iretq

; enter_user(rip, rsp): start running a program.
global enter_user
enter_user:
    push USER_DS
    push rsi
    push RFLAGS_IF                       ; interrupts on in user mode
    push USER_CS
    push rdi
    xor eax, eax                         ; a clean slate: no kernel values
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    iretq
