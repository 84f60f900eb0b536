// malloc.h: a heap for user programs, over map() (malloc.c).
#pragma once
#include <stddef.h>

// size bytes, 16-byte aligned, not zeroed; NULL when memory runs out.
void *malloc(size_t size);

// Give back a block from malloc. free(NULL) does nothing; a pointer malloc
// did not return (or one freed already) is reported and ignored.
void free(void *p);
