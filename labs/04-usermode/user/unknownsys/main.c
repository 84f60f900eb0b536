// unknownsys: a system call number the kernel does not have is an error
// (E_NOSYS) for the program to handle, never a reason to kill it. Also: a
// system call changes only rax, rcx and r11 (docs/abi.md).
#include "check.h"
#include "printf.h"
#include "syscall.h"

// Make system call `number` with every argument register and the registers
// a C function must preserve holding known values, and check afterwards
// that they still do. The compiler reads them back after the asm statement
// because they are outputs too ("+"): it cannot assume they survived.
static bool registers_survive(long number) {
    register long rdi __asm__("rdi") = 0x1111;
    register long rsi __asm__("rsi") = 0x2222;
    register long rdx __asm__("rdx") = 0x3333;
    register long r10 __asm__("r10") = 0x4444;
    register long r8 __asm__("r8") = 0x5555;
    register long r9 __asm__("r9") = 0x6666;
    register long rbx __asm__("rbx") = 0x7777;
    register long r12 __asm__("r12") = 0x8888;
    register long r13 __asm__("r13") = 0x9999;
    register long r14 __asm__("r14") = 0xaaaa;
    register long r15 __asm__("r15") = 0xbbbb;
    long result = number;
    __asm__ volatile("syscall"
                     : "+a"(result), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
                       "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
                     :
                     : "rcx", "r11", "memory");
    return result == E_NOSYS && rdi == 0x1111 && rsi == 0x2222 && rdx == 0x3333 && r10 == 0x4444 &&
           r8 == 0x5555 && r9 == 0x6666 && rbx == 0x7777 && r12 == 0x8888 && r13 == 0x9999 &&
           r14 == 0xaaaa && r15 == 0xbbbb;
}

int main(void) {
    printf("unknownsys: calling system calls that do not exist\n");
    CHECK(sys_call(SYS_COUNT, 0, 0, 0) == E_NOSYS, "number 5, one past the last");
    CHECK(sys_call(1000, 0, 0, 0) == E_NOSYS, "number 1000");
    CHECK(sys_call(-1, 0, 0, 0) == E_NOSYS, "number -1 (0xffffffffffffffff unsigned)");
    CHECK(sys_call(0x7fffffff, 0, 0, 0) == E_NOSYS, "number 0x7fffffff");
    CHECK(sys_call(0x100000001l, 0, 0, 0) == E_NOSYS, "number 2^32 + 1 (write in the low 32 bits)");
    CHECK(registers_survive(1000), "only rax, rcx and r11 change in a system call");
    CHECK(ticks() >= 0, "still running: ticks() works");
    return checks_done();
}
