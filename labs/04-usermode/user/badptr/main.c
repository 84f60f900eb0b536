// badptr: every pointer-taking system call refuses bad pointers with an
// error, and the program carries on (docs/abi.md, kernel/uaccess.c).
#include "check.h"
#include "syscall.h"

int main(void) {
    char ok[8] = "ok\n";
    CHECK(write(0, 8) == E_FAULT, "write from NULL");
    CHECK(write((void *)0xffffffff80100000ul, 8) == E_FAULT, "write from kernel text");
    CHECK(write((void *)0xffff800000000000ul, 8) == E_FAULT, "write from the direct map");
    CHECK(write((void *)0x00007ffffffff000ul, 0x2000) == E_FAULT, "write across the end of the lower half");
    CHECK(write(ok, (unsigned long)-16) == E_FAULT, "write with a length that wraps");
    CHECK(write((void *)0x100000000000ul, 8) == E_FAULT, "write from unmapped user memory");
    CHECK(write(ok, 0) == 0, "write of nothing");
    CHECK(unmap(0, 4096) == E_INVAL, "unmap of NULL");
    CHECK(unmap((void *)0xffffffff80100000ul, 4096) == E_INVAL, "unmap of kernel memory");
    CHECK(unmap(ok, 4096) == E_INVAL, "unmap of the stack");
    CHECK(write(ok, 3) == 3, "a good write still works");
    return checks_done();
}
