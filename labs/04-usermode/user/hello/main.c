// hello: the first program. If this prints, the kernel loaded an ELF file,
// entered user mode at _start, and took a write() and an exit() system call.
#include "printf.h"

int main(void) {
    printf("hello, world\n");
    return 0;
}
