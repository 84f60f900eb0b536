; userentry.asm: crossing between user mode and the kernel.
;
; syscall_entry: the CPU jumps here on `syscall` (LSTAR), in ring 0 but
; still on the user's stack, with the user's return address in rcx and
; flags in r11 (SFMASK has cleared IF, so nothing interrupts us). We switch
; to the kernel stack for user entries (where the variable user_entry_stack
; says: lab 05's proc_run moves it down while a spawned child runs inside
; its parent's system call, and TSS.RSP0 with it; from lab 06 nothing lives
; on the stack between two entries, so it stays at the top), save what
; sysret needs, pass the
; call's number and arguments to syscall_dispatch (syscall.c) as a struct,
; restore the program's registers (only rax, rcx and r11 change, so no
; kernel value can leak to the program) and return with sysret.
;
; The sysret hazard: sysret with a non-canonical rcx raises #GP in ring 0,
; on the user's stack, which a malicious program could aim. So when the
; return address is not a lower-half address we return with iretq instead;
; its #GP is taken while the kernel stack is still ours, and proc.c kills
; the program (it recognises the fault at syscall_bad_return).
;
; enter_user: the first entry into a program (lab 06: into each of its
; continuations), an iretq to ring 3, with
; only IF set in RFLAGS (IOPL 0: no I/O ports for ring 3) and a clean slate:
; general registers zero and the x87/SSE state reset (the kernel itself
; never uses those registers, so they hold whatever the last program left;
; docs/abi.md promises each program a fresh one).

bits 64
USER_DS equ 0x18 | 3
USER_CS equ 0x20 | 3
RFLAGS_IF equ 1 << 9

section .bss
alignb 16
global user_kstack, user_kstack_top
user_kstack:     resb 65536            ; the kernel stack for entries from user mode
user_kstack_top:                       ; (lab 05: nested spawns share it, PROC_MAX_DEPTH deep)
syscall_user_rsp: resq 1
global syscall_iret_returns
syscall_iret_returns: resq 1           ; returns that took the iretq path

section .data
global user_entry_stack
user_entry_stack: dq user_kstack_top   ; where syscall_entry switches to (lab 05's proc.c moves it)

section .rodata
; An FXSAVE image of a freshly reset FPU: x87 control word 0x37f (all
; exceptions masked, 64-bit precision, round to nearest), empty stack,
; MXCSR 0x1f80 (likewise for SSE), every x87 and XMM register zero.
alignb 16
clean_fpu_state:
    dw 0x37f                             ; FCW
    times 22 db 0                        ; FSW, FTW (all empty), FOP, FIP, FDP
    dd 0x1f80                            ; MXCSR
    times 512 - ($ - clean_fpu_state) db 0

section .text
extern syscall_dispatch

global syscall_entry
syscall_entry:
    mov [rel syscall_user_rsp], rsp
    mov rsp, [rel user_entry_stack]
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
    add rsp, 8                           ; the number
    pop rdi                              ; the program's own registers back:
    pop rsi                              ; only rax, rcx and r11 change, and
    pop rdx                              ; none holds a kernel value
    pop r10
    pop r8
    pop r9
    pop rcx                              ; user rip
    pop r11                              ; user rflags
    ; The sysret hazard: only a lower-half (canonical) rip may be returned
    ; to with sysret; check it with a register we restore right after.
    push rdx
    mov rdx, rcx
    sar rdx, 47                          ; 0 only for a lower-half address
    pop rdx
    jnz .return_with_iret
    pop rsp                              ; user rsp: the last thing on this stack
    o64 sysret
.return_with_iret:
    inc qword [rel syscall_iret_returns] ; counted, so a test can see this path taken
    pop qword [rel syscall_user_rsp]
    push USER_DS
    push qword [rel syscall_user_rsp]
    push r11
    push USER_CS
    push rcx
global syscall_bad_return
syscall_bad_return:
    iretq

; enter_user(rip, rsp, arg0, arg1, arg2): start running a program, with
; arg0, arg1 and arg2 in rdi, rsi and rdx (lab 05: main's arguments, the
; number of its handles and their address; lab 06: a continuation's fn,
; arg and value).
global enter_user
enter_user:
    push USER_DS
    push rsi
    push RFLAGS_IF                       ; interrupts on in user mode
    push USER_CS
    push rdi
    fxrstor [rel clean_fpu_state]        ; no x87/SSE state from the last program
    mov rdi, rdx                         ; its arguments
    mov rsi, rcx
    mov rdx, r8
    xor eax, eax                         ; a clean slate: no kernel values
    xor ebx, ebx
    xor ecx, ecx
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
