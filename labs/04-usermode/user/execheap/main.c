// execheap: memory from map(MAP_WRITE) is not executable: calling it kills.
#include "printf.h"
#include "syscall.h"

int main(void) {
    unsigned char *code = map(4096, MAP_WRITE);
    if (!code)
        return 1;
    code[0] = 0xC3;                        // ret
    printf("execheap: calling a ret in mapped memory at %p\n", (void *)code);
    ((void (*)(void))(void *)code)();
    printf("still alive: FAIL\n");
    return 1;
}
