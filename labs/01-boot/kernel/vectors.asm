; vectors.asm: the first instructions of every interrupt and exception.
;
; The CPU jumps to vector_N for interrupt N. Some exceptions push an error
; code and the rest do not, so the stubs without one push a 0 to make every
; frame the same shape. Each stub pushes its vector number and jumps to
; trap_entry, which saves the general registers and calls trap(frame) in
; trap.c. The layout built here is struct trapframe in trap.h.
; vector_table (used by idt.c) lists the 256 stubs.

bits 64
section .text

; EACH push, a, b, c  is  push a / push b / push c: the register lists below
; then read in the order of struct trapframe (rax ends lowest, at its start).
%macro EACH 2-*
  %define %%instruction %1
  %rep %0 - 1
    %rotate 1
    %%instruction %1
  %endrep
%endmacro

%macro VECTOR_NO_ERROR_CODE 1
vector_%1:
    push 0                              ; fake error code
    push %1
    jmp trap_entry
%endmacro

%macro VECTOR_WITH_ERROR_CODE 1
vector_%1:
    push %1                             ; the CPU pushed the error code
    jmp trap_entry
%endmacro

; The exceptions that push an error code (Intel SDM vol. 3, table 6-1).
%assign v 0
%rep 256
  %if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    VECTOR_WITH_ERROR_CODE v
  %else
    VECTOR_NO_ERROR_CODE v
  %endif
  %assign v v + 1
%endrep

extern trap
global trap_entry
trap_entry:
    EACH push, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
    mov rdi, rsp                        ; trap(struct trapframe *)
    ; Known flags, whatever was interrupted: the gate cleared IF, TF and NT,
    ; but not DF (the C ABI expects it clear) or AC (with SMAP, AC set
    ; would let the kernel touch user pages); IOPL 0. The interrupted
    ; flags are in the frame, and iretq puts them back.
    push 2                              ; bit 1 is always set
    popfq
    call trap
global trap_return
trap_return:
    EACH pop, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
    add rsp, 16                         ; vector and error code
    iretq

section .rodata
global vector_table
vector_table:
%assign v 0
%rep 256
    dq vector_ %+ v
  %assign v v + 1
%endrep
