// malloctest: the user library's malloc over map(): blocks of many sizes
// do not overlap and come back.
#include "check.h"
#include "malloc.h"
#include "string.h"

#define N 300
static unsigned char *blocks[N];
static unsigned long sizes[N];

int main(void) {
    int all = 1;
    for (int i = 0; i < N; i++) {
        sizes[i] = 1 + (i * 7919) % 100000;
        blocks[i] = malloc(sizes[i]);
        all &= blocks[i] != 0;
        if (blocks[i])
            memset(blocks[i], i, sizes[i]);
    }
    CHECK(all, "every allocation succeeds");
    int intact = 1;
    for (int i = 0; i < N; i++)
        for (unsigned long k = 0; blocks[i] && k < sizes[i]; k += 97)
            intact &= blocks[i][k] == (unsigned char)i;
    CHECK(intact, "no block overwrote another");
    for (int i = 0; i < N; i++)
        free(blocks[i]);
    CHECK(malloc(1000) != 0, "memory comes back");
    return checks_done();
}
