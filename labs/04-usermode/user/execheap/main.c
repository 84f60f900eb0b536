// execheap: memory from map(MAP_WRITE) is writable but not executable
// (W^X), so calling code written there is a page fault on the fetch.
#include "printf.h"
#include "syscall.h"

int main(void) {
    unsigned char *code = map(4096, MAP_WRITE);
    if (!code) {
        printf("execheap: map failed: FAIL\n");
        return 1;
    }
    code[0] = 0xC3;  // ret
    void (*fn)(void) = (void (*)(void))(void *)code;
    __asm__ volatile("" : "+r"(fn) : : "memory");
    printf("execheap: calling a ret in map()ed memory at %p\n", (void *)code);
    fn();
    printf("still alive: FAIL\n");
    return 1;
}
