// args: prints the arguments the shell gave it. The shell passes the
// command line's words after the program's name in a read-only region,
// caps[1], as one string (NUL-terminated); docs/final.md.
#include "printf.h"
#include "syscall.h"

int main(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps < 2 || cap_inspect(caps[1], &info) != 0 || info.type != OBJ_REGION) {
        printf("args: none\n");
        return 0;
    }
    printf("args: '%s'\n", (const char *)info.base);
    return 0;
}
