// malloc.c: malloc and free over memory from map().
//
// The heap is a list of free blocks, kept in address order, as in K&R's
// malloc and xv6's umalloc.c. Every block, free or in use, starts with a
// 16-byte header: its size (header included) and a magic number. malloc
// takes the first free block big enough (first fit), cutting what it needs
// off the block's end so the rest stays in the list where it was. free puts
// a block back in address order and merges it with a free neighbour on
// either side, so freed memory becomes one piece again.
//
// When no block is big enough, more_memory() asks the kernel with
// map(len, MAP_WRITE) for a chunk of at least 64 KiB (one system call
// serves many small mallocs). Chunks are never given back: the kernel frees
// everything when the program ends.
//
// The magic number lets free() notice a pointer that malloc never
// returned, or one freed twice, and refuse it instead of corrupting the list.
#include "malloc.h"
#include "printf.h"
#include "syscall.h"
#include <stdbool.h>
#include <stdint.h>

#define ALIGN      16            // every block, and so every pointer, is 16-aligned
#define MIN_CHUNK  (64ul << 10)  // ask map() for at least this much
#define MAX_SIZE   (1ul << 30)   // map() gives at most 1 GiB at once
#define MAGIC_USED 0xB10CA11Cul  // arbitrary, unlikely to be there by chance:
#define MAGIC_FREE 0xB10CF4EEul  // in use, or in the free list

struct block {
    size_t size;  // bytes, header included; a multiple of ALIGN
    uint64_t magic;
    struct block *next;  // free blocks only: the next one up in memory
};
#define HEADER    16  // size and magic: what an in-use block gives up
#define MIN_BLOCK 32  // room for a header and the `next` link

static struct block *free_list;  // lowest address first

static char *end_of(struct block *b) { return (char *)b + b->size; }

// Put b into the free list in address order, merging it with the block
// just after it and the one just before it when they touch.
static void insert_free(struct block *b) {
    struct block *prev = NULL, *next = free_list;
    while (next && next < b) {
        prev = next;
        next = next->next;
    }
    b->magic = MAGIC_FREE;
    b->next = next;
    if (next && end_of(b) == (char *)next) {
        b->size += next->size;
        b->next = next->next;
        next->magic = 0;  // no longer a block: a free() of it is refused
    }
    if (prev && end_of(prev) == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
        b->magic = 0;
    } else if (prev) {
        prev->next = b;
    } else {
        free_list = b;
    }
}

// Map a new chunk big enough for a block of `need` bytes and free it into
// the list. false when the kernel says no.
static bool more_memory(size_t need) {
    size_t len = need > MIN_CHUNK ? need : MIN_CHUNK;
    len = (len + 4095) & ~4095ul;  // map() hands out whole pages anyway
    struct block *b = map(len, MAP_WRITE);
    if (!b)
        return false;
    b->size = len;
    insert_free(b);
    return true;
}

// The first free block of at least `need` bytes, taken out of the list
// (or just its end, when the rest is big enough to stay a block).
static struct block *take_first_fit(size_t need) {
    for (struct block **link = &free_list; *link; link = &(*link)->next) {
        struct block *b = *link;
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) {
            b->size -= need;  // b stays in the list, smaller
            struct block *tail = (struct block *)end_of(b);
            tail->size = need;
            return tail;
        }
        *link = b->next;  // too small to split: take all of it
        return b;
    }
    return NULL;
}

void *malloc(size_t size) {
    if (size > MAX_SIZE)
        return NULL;
    size_t need = HEADER + ((size + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    struct block *b = take_first_fit(need);
    if (!b && more_memory(need))
        b = take_first_fit(need);
    if (!b)
        return NULL;
    b->magic = MAGIC_USED;
    return (char *)b + HEADER;
}

void free(void *p) {
    if (!p)
        return;
    struct block *b = (struct block *)((char *)p - HEADER);
    if (((uintptr_t)p & (ALIGN - 1)) || b->magic != MAGIC_USED) {
        printf("free(%p): not a block from malloc, or freed already; ignored\n", p);
        return;
    }
    insert_free(b);
}
