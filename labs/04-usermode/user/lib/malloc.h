// malloc.h: a heap for user programs, over map().
#pragma once
#include <stddef.h>

void *malloc(size_t size);
void free(void *p);
