; boot.asm: from the Multiboot2 loader to kmain.
;
; GRUB (or any Multiboot2 loader) jumps to _start in 32-bit protected mode
; with paging off, EAX = the Multiboot2 magic and EBX = the physical address
; of the boot information. This file:
;   1. checks both (we must know where the boot information is) and that
;      the CPU has long mode; if not, it says so on COM1 and powers off;
;   2. builds boot page tables: the first 4 GiB identity-mapped (needed
;      only for the instructions that turn paging on) and again at
;      DIRECT_MAP (memlayout.h), and the first 2 GiB at -2 GiB
;      (0xffffffff80000000), where the kernel is linked; the null page and
;      the stack's guard page are left unmapped;
;   3. enables PAE, long mode and paging, loads a 64-bit GDT, and jumps to
;      the higher half, sets the stack and calls kmain(magic, info).
;
; Everything here runs before paging, so it uses physical addresses:
; a symbol linked in the higher half is used as (symbol - KERNEL_VMA).

extern boot_tsc_start
KERNEL_VMA      equ 0xFFFFFFFF80000000
MB2_HEADER_MAGIC equ 0xE85250D6
MB2_BOOT_MAGIC  equ 0x36D76289          ; what the loader leaves in EAX
MB2_ARCH_I386   equ 0

PTE_PRESENT     equ 1 << 0
PTE_WRITABLE    equ 1 << 1
PTE_HUGE        equ 1 << 7              ; in a page directory: a 2 MiB page

COM1            equ 0x3F8
DEBUG_EXIT_PORT equ 0xF4                ; QEMU's isa-debug-exit device
KSTACK_SIZE     equ 16384

; --- The Multiboot2 header: the loader searches the first 32 KiB for it. --
section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
    dd MB2_HEADER_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    dw 0, 0                             ; end tag: type 0, flags 0,
    dd 8                                ; size 8
mb2_header_end:

; --- 32-bit code, linked and run at its physical address. -----------------
section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
    cli
    cld
    mov ecx, eax                        ; rdtsc overwrites EAX (the magic)
    rdtsc                               ; the kernel's first instruction count:
    mov [boot_tsc_start - KERNEL_VMA], eax      ; bench.c measures the whole
    mov [boot_tsc_start - KERNEL_VMA + 4], edx  ; boot from here
    mov eax, ecx
    mov esp, boot_stack_top - KERNEL_VMA
    mov ebp, eax                        ; keep the magic and the info
    mov esi, ebx                        ; pointer for kmain

    cmp eax, MB2_BOOT_MAGIC
    jne .not_multiboot2
    call cpu_has_long_mode
    test eax, eax
    jz .no_long_mode

    call build_boot_page_tables
    ; LAB 1: BEGIN SOLUTION
    mov eax, pml4 - KERNEL_VMA
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                      ; CR4.PAE: 64-bit page table entries
    ; CR4.OSFXSR: SSE instructions allowed (programs may use them);
    ; CR4.OSXMMEXCPT: an unmasked SSE error is #XM, not #UD.
    or eax, (1 << 9) | (1 << 10)
    mov cr4, eax
    mov ecx, 0xC0000080                 ; the EFER MSR
    rdmsr
    or eax, 1 << 8                      ; EFER.LME: long mode enable
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; CR0.PG, CR0.WP (kernel obeys read-only), CR0.PE
    ; CR0.NE: an x87 error is #MF in the program that made it, not the
    ; legacy FERR#/IRQ 13 signal; CR0.MP with EM and TS clear: the FPU is
    ; there and usable.
    or eax, (1 << 5) | (1 << 1)
    and eax, ~((1 << 2) | (1 << 3))
    mov cr0, eax
    ; LAB 1: END SOLUTION
    ; LAB 1: STUB mov esi, msg_lab1_boot     ; lab 1: paging and long mode are not on yet
    ; LAB 1: STUB jmp boot_fail

    lgdt [boot_gdt_pointer]
    jmp BOOT_CODE64:long_mode_start     ; far jump: now CS is a 64-bit segment

.not_multiboot2:
    mov esi, msg_not_multiboot2
    jmp boot_fail
.no_long_mode:
    mov esi, msg_no_long_mode
    jmp boot_fail

; cpu_has_long_mode: EAX = 1 when CPUID exists and reports long mode.
cpu_has_long_mode:
    pushfd                              ; CPUID exists if EFLAGS.ID can be flipped
    pop eax
    mov ecx, eax
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    jz .no
    mov eax, 0x80000000                 ; highest extended leaf
    cpuid
    cmp eax, 0x80000001
    jb .no
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29                   ; LM bit
    jz .no
    mov eax, 1
    ret
.no:
    xor eax, eax
    ret

; build_boot_page_tables: fill the tables reserved in .bss (see below).
;   pml4[0]   -> pdpt_low:  4 entries -> pd[0..3]: identity map of 0..4 GiB
;   pml4[256] -> pdpt_low too: the same 4 GiB at DIRECT_MAP
;   pml4[511] -> pdpt_high: entries 510, 511 -> pd[0], pd[1]: 0..2 GiB at -2 GiB
;   pd[0] entries 0 and 1 -> pt[0], pt[1]: the first 4 MiB in 4 KiB pages,
;   so that the null page and the stack guard can be left unmapped.
build_boot_page_tables:
    ; LAB 1: BEGIN SOLUTION
    mov edi, boot_tables_start - KERNEL_VMA     ; start from zero
    mov ecx, (boot_tables_end - boot_tables_start) / 4
    xor eax, eax
    rep stosd

    mov edi, pd - KERNEL_VMA            ; 2048 huge pages: 0 .. 4 GiB
    mov eax, PTE_PRESENT | PTE_WRITABLE | PTE_HUGE
    mov ecx, 2048
.next_pde:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .next_pde

    mov edi, pt - KERNEL_VMA            ; 1024 small pages: 0 .. 4 MiB
    mov eax, PTE_PRESENT | PTE_WRITABLE
    mov ecx, 1024
.next_pte:
    mov [edi], eax
    add eax, 0x1000
    add edi, 8
    loop .next_pte
    mov dword [pt - KERNEL_VMA], 0      ; page 0: a null pointer faults
    mov eax, stack_guard - KERNEL_VMA   ; the guard under the kernel stack
    shr eax, 12
    mov dword [pt - KERNEL_VMA + eax * 8], 0

    mov dword [pd - KERNEL_VMA], pt - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    mov dword [pd - KERNEL_VMA + 8], pt - KERNEL_VMA + 0x1000 + PTE_PRESENT + PTE_WRITABLE

    mov edi, pdpt_low - KERNEL_VMA
    mov eax, pd - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    mov ecx, 4
.next_pdpte:
    mov [edi], eax
    add eax, 0x1000
    add edi, 8
    loop .next_pdpte
    mov dword [pdpt_high - KERNEL_VMA + 510 * 8], pd - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    mov dword [pdpt_high - KERNEL_VMA + 511 * 8], pd - KERNEL_VMA + 0x1000 + PTE_PRESENT + PTE_WRITABLE

    mov dword [pml4 - KERNEL_VMA], pdpt_low - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    mov dword [pml4 - KERNEL_VMA + 256 * 8], pdpt_low - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    mov dword [pml4 - KERNEL_VMA + 511 * 8], pdpt_high - KERNEL_VMA + PTE_PRESENT + PTE_WRITABLE
    ; LAB 1: END SOLUTION
    ; LAB 1: STUB mov esi, msg_lab1_boot     ; lab 1: the tables are not built yet
    ; LAB 1: STUB jmp boot_fail
    ret

; boot_fail: print the string at ESI on COM1 (115200 8N1), power off with
; the failure status, and halt if there is no exit device.
boot_fail:
    mov dx, COM1 + 1                    ; no interrupts
    xor al, al
    out dx, al
    mov dx, COM1 + 3                    ; DLAB on: set the divisor
    mov al, 0x80
    out dx, al
    mov dx, COM1                        ; divisor 1 = 115200 baud
    mov al, 1
    out dx, al
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3                    ; 8 bits, no parity, 1 stop bit
    mov al, 3
    out dx, al
.next_char:
    lodsb
    test al, al
    jz .power_off
    mov bl, al
    mov dx, COM1 + 5                    ; wait for the transmitter
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, bl
    out dx, al
    jmp .next_char
.power_off:
    mov dx, DEBUG_EXIT_PORT
    mov al, 0x11
    out dx, al
.halt:
    hlt
    jmp .halt

; --- 64-bit code, still at the physical address: jump to the higher half. -
bits 64
long_mode_start:
    mov ax, BOOT_DATA64
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rax, higher_half_start
    jmp rax

section .boot.data progbits alloc noexec write align=16
boot_gdt:                               ; kmain loads the real GDT (gdt.c)
    dq 0
    dq 0x00AF9A000000FFFF               ; 64-bit code, ring 0
    dq 0x00CF92000000FFFF               ; data, ring 0
boot_gdt_end:
BOOT_CODE64 equ 0x08
BOOT_DATA64 equ 0x10
boot_gdt_pointer:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt

msg_not_multiboot2:
    db "baton: cannot boot: not started by a Multiboot2 loader", 10, 0
msg_no_long_mode:
    db "baton: cannot boot: this CPU has no long mode (x86_64)", 10, 0
msg_lab1_boot:                          ; (what the handout's stand-ins say)
    db "baton: cannot boot: lab 1: boot.asm's page tables and long mode are not written yet", 10, 0

; --- Higher half. -----------------------------------------------------------
section .text
extern kmain
higher_half_start:
    mov rsp, boot_stack_top
    mov edi, ebp                        ; kmain(magic, physical info address)
    mov esi, esi                        ; (zero-extends: upper halves are undefined)
    xor ebp, ebp                        ; end of the frame-pointer chain
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .bss
alignb 4096
global stack_guard, boot_stack, boot_stack_top
stack_guard:    resb 4096               ; unmapped: an overflow faults here
boot_stack:     resb KSTACK_SIZE
boot_stack_top:
global boot_pml4
boot_tables_start:
boot_pml4:
pml4:           resb 4096
pdpt_low:       resb 4096
pdpt_high:      resb 4096
pd:             resb 4 * 4096
pt:             resb 2 * 4096
boot_tables_end:
