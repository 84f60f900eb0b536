// malloc.c: first-fit malloc over chunks of memory from map().
//
// Each block has a 16-byte header: its size and a magic number (so that
// free can refuse a pointer malloc never returned). Free blocks form one
// list, first fit, split when much bigger than asked; there is no merging,
// which keeps it short (a fine exercise). Sizes are rounded to 16 bytes.
#include "malloc.h"
#include "printf.h"
#include "syscall.h"
#include <stdint.h>

#define CHUNK (64ul << 10)
#define MAGIC_USED 0xA110CA7EDull
#define MAGIC_FREE 0xF4EEB10Cull

struct header {
    size_t size;                       // bytes after the header
    uint64_t magic;
};

struct free_block {
    struct header h;
    struct free_block *next;
};

static struct free_block *free_list;

static void add_free(struct header *h) {
    struct free_block *b = (struct free_block *)h;
    h->magic = MAGIC_FREE;
    b->next = free_list;
    free_list = b;
}

void *malloc(size_t size) {
    size = (size + 15) & ~15ul;
    if (size == 0 || size > (1ul << 30))
        return NULL;
    for (struct free_block **link = &free_list; *link; link = &(*link)->next) {
        struct free_block *b = *link;
        if (b->h.size < size)
            continue;
        *link = b->next;
        if (b->h.size >= size + sizeof(struct header) + 64) {   // split off the rest
            struct header *rest = (struct header *)((char *)(b + 0) + sizeof(struct header) + size);
            rest->size = b->h.size - size - sizeof(struct header);
            add_free(rest);
            b->h.size = size;
        }
        b->h.magic = MAGIC_USED;
        return (char *)b + sizeof(struct header);
    }
    size_t chunk = size + sizeof(struct header) > CHUNK ? size + sizeof(struct header) : CHUNK;
    struct header *h = map(chunk, MAP_WRITE);
    if (!h)
        return NULL;
    h->size = chunk - sizeof(struct header);
    add_free(h);
    return malloc(size);
}

void free(void *p) {
    if (!p)
        return;
    struct header *h = (struct header *)((char *)p - sizeof(struct header));
    if (((uintptr_t)p & 15) || h->magic != MAGIC_USED) {
        printf("free(%p): not a block from malloc (or freed twice); ignored\n", p);
        return;
    }
    add_free(h);
}
