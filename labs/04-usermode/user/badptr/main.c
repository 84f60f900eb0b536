// badptr: system calls refuse bad pointers with an error, and the program
// carries on.
//
// A program can pass the kernel any number as a pointer. The kernel must
// check every byte of the range against the program's own page tables
// (kernel/uaccess.c) and answer E_FAULT, never fault itself, never read
// kernel memory for the program. unmap() only takes what map() returned,
// so for it every one of these addresses is E_INVAL.
#include "check.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

// Addresses a program does not own, and why each is interesting.
#define KERNEL_IMAGE 0xffffffff80100000ul  // where the kernel is linked: never for users
#define DIRECT_MAP   0xffff800000000000ul  // the start of the kernel half
#define LAST_PAGE    0x00007ffffffff000ul  // the top user page; +0x2000 runs into the hole
#define FAR_AWAY     0x0000100000000000ul  // user half, but nothing mapped there

static void bad_writes(char *stack_buf) {
    CHECK(write(NULL, 8) == E_FAULT, "write from NULL");
    CHECK(write((void *)KERNEL_IMAGE, 8) == E_FAULT, "write from the kernel image");
    CHECK(write((void *)DIRECT_MAP, 8) == E_FAULT, "write from the start of the kernel half");
    CHECK(write((void *)LAST_PAGE, 0x2000) == E_FAULT,
          "write from the last user page into the hole");
    CHECK(write(stack_buf, (unsigned long)-16) == E_FAULT, "write with a length that wraps around");
    CHECK(write((void *)FAR_AWAY, 8) == E_FAULT, "write from unmapped user memory");
    CHECK(write(stack_buf, 0) == 0, "write of 0 bytes returns 0");
    CHECK(write(NULL, 0) == 0, "write of 0 bytes from NULL returns 0");
}

static void bad_unmaps(char *stack_buf) {
    CHECK(unmap(NULL, 4096) == E_INVAL, "unmap of NULL");
    CHECK(unmap((void *)KERNEL_IMAGE, 4096) == E_INVAL, "unmap of the kernel image");
    CHECK(unmap((void *)DIRECT_MAP, 4096) == E_INVAL, "unmap of the start of the kernel half");
    CHECK(unmap((void *)LAST_PAGE, 0x2000) == E_INVAL, "unmap of the last user page and the hole");
    CHECK(unmap(stack_buf, (unsigned long)-16) == E_INVAL, "unmap with a length that wraps around");
    CHECK(unmap((void *)FAR_AWAY, 4096) == E_INVAL, "unmap of unmapped user memory");
    CHECK(unmap(stack_buf, 4096) == E_INVAL, "unmap of the stack");
    CHECK(unmap((void *)(unsigned long)bad_unmaps, 4096) == E_INVAL,
          "unmap of the program's own code");
}

int main(void) {
    char buf[32] = "badptr: a good write\n";
    printf("badptr: passing bad pointers to write() and unmap()\n");
    bad_writes(buf);
    bad_unmaps(buf);
    long len = (long)strlen(buf);
    CHECK(write(buf, len) == len, "a good write still works after all that");
    return checks_done();
}
