// heap.c: kmalloc and kfree (see heap.h).
//
// A slab is one page: a header, then equal objects. Free objects form a
// list through their first word; a bitmap in the header says which objects
// are allocated, which is how kfree catches a double free. Each size class
// keeps a list of slabs with free objects; a slab that becomes empty goes
// back to the page source, unless it is the class's last one.
//
// A large object is a block of 2^order pages whose first 64 bytes are a
// header; kmalloc returns the address just after it.
//
// kfree finds a pointer's page by rounding down, and trusts it only if the
// header there carries the right magic number and the pointer falls exactly
// on an object: a stray pointer is refused, not freed.
#include "heap.h"
#include "string.h"
#include <stdbool.h>

#define PAGE         4096ul
#define SLAB_MAGIC   0x5EAB5EAB5EAB5EABull
#define LARGE_MAGIC  0x1A26E1A26E1A26E1ull
#define DEAD_MAGIC   0xDEADDEADDEADDEADull
#define SLAB_HEADER  128  // objects start here (16-aligned)
#define LARGE_HEADER 64
#define MIN_SHIFT    4  // the smallest class: 16 bytes

struct slab {
    uint64_t magic;
    struct slab *prev, *next;  // in the class's list of slabs with room
    void *free_list;
    uint16_t class_index, free_count, capacity;
    uint64_t allocated[4];  // bit i: object i is allocated (<= 248)
};

struct large_header {
    uint64_t magic;
    int order;
};

static struct heap_page_source source;
static struct slab *partial[HEAP_CLASSES];  // slabs with at least one free object
static struct heap_stats stats;

size_t heap_class_size(int class_index) { return (size_t)1 << (class_index + MIN_SHIFT); }

void heap_init(const struct heap_page_source *src) {
    source = *src;
    memset(partial, 0, sizeof partial);
    memset(&stats, 0, sizeof stats);
}

// The smallest class that holds size bytes: log2 of size rounded up to a
// power of two, less MIN_SHIFT (clz counts the leading zero bits).
static int class_of(size_t size) {
    return size <= (1u << MIN_SHIFT) ? 0 : 64 - __builtin_clzl(size - 1) - MIN_SHIFT;
}

static void list_add(struct slab *s) {
    struct slab **head = &partial[s->class_index];
    s->prev = NULL;
    s->next = *head;
    if (*head)
        (*head)->prev = s;
    *head = s;
}

static void list_del(struct slab *s) {
    if (s->prev)
        s->prev->next = s->next;
    else
        partial[s->class_index] = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

static struct slab *new_slab(int c) {
    struct slab *s = source.alloc_pages(0);
    if (!s)
        return NULL;
    size_t size = heap_class_size(c);
    *s = (struct slab){.magic = SLAB_MAGIC, .class_index = c};
    s->capacity = (PAGE - SLAB_HEADER) / size;
    // Thread the free list from the last object down, so the first
    // allocation is the lowest address.
    for (int i = s->capacity - 1; i >= 0; i--) {
        void **object = (void **)((char *)s + SLAB_HEADER + i * size);
        *object = s->free_list;
        s->free_list = object;
    }
    s->free_count = s->capacity;
    stats.slabs[c]++;
    list_add(s);
    return s;
}

static void *small_alloc(int c) {
    // LAB 3: BEGIN SOLUTION
    struct slab *s = partial[c] ? partial[c] : new_slab(c);
    if (!s)
        return NULL;
    void **object = s->free_list;
    s->free_list = *object;
    unsigned index = ((char *)object - (char *)s - SLAB_HEADER) >> (c + MIN_SHIFT);
    s->allocated[index / 64] |= 1ull << (index % 64);
    if (--s->free_count == 0)
        list_del(s);  // full: no longer a candidate
    stats.objects[c]++;
    return object;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)new_slab;
    // LAB 3: STUB (void)c;
    // LAB 3: STUB return NULL;   /* lab 3: small_alloc not written yet */
}

static void *large_alloc(size_t size) {
    int order = 0;
    while ((PAGE << order) < size + LARGE_HEADER)
        order++;
    struct large_header *h = source.alloc_pages(order);
    if (!h)
        return NULL;
    h->magic = LARGE_MAGIC;
    h->order = order;
    stats.large_blocks++;
    stats.large_pages += 1ull << order;
    return (char *)h + LARGE_HEADER;
}

void *kmalloc(size_t size) {
    if (size == 0)
        size = 1;
    if (size > HEAP_MAX_SMALL)
        return size > (1ul << 40) ? NULL : large_alloc(size);
    return small_alloc(class_of(size));
}

void *kzalloc(size_t size) {
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

static int refuse(int err, const void *pointer) {
    stats.refused_frees++;
    if (source.report)
        source.report(err == HEAP_ERR_DOUBLE_FREE ? "double free"
                                                  : "not a pointer kmalloc returned",
                      pointer);
    return err;
}

static int small_free(struct slab *s, void *pointer) {
    int c = s->class_index;
    uintptr_t offset = (uintptr_t)pointer - (uintptr_t)s - SLAB_HEADER;
    unsigned index = offset >> (c + MIN_SHIFT);
    if ((uintptr_t)pointer < (uintptr_t)s + SLAB_HEADER || (offset & (heap_class_size(c) - 1)) ||
        index >= s->capacity)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    // LAB 3: BEGIN SOLUTION
    uint64_t bit = 1ull << (index % 64);
    if (!(s->allocated[index / 64] & bit))
        return refuse(HEAP_ERR_DOUBLE_FREE, pointer);
    s->allocated[index / 64] &= ~bit;
    *(void **)pointer = s->free_list;
    s->free_list = pointer;
    stats.objects[c]--;
    if (++s->free_count == 1)
        list_add(s);  // it has room again
    if (s->free_count == s->capacity && (s->prev || s->next)) {
        list_del(s);  // empty, and not the class's last
        s->magic = DEAD_MAGIC;
        stats.slabs[c]--;
        source.free_pages(s, 0);
    }
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB return 0;   /* lab 3: small_free not written yet */
}

int kfree(void *pointer) {
    if (pointer == NULL)
        return 0;
    char *page = (char *)((uintptr_t)pointer & ~(PAGE - 1));
    if (((uintptr_t)pointer & 15) != 0 || (source.owns && !source.owns(pointer)))
        return refuse(HEAP_ERR_FOREIGN, pointer);
    struct large_header *h = (struct large_header *)page;
    if ((char *)pointer == page + LARGE_HEADER && h->magic == LARGE_MAGIC) {
        h->magic = DEAD_MAGIC;
        stats.large_blocks--;
        stats.large_pages -= 1ull << h->order;
        source.free_pages(h, h->order);
        return 0;
    }
    if ((char *)pointer == page + LARGE_HEADER && h->magic == DEAD_MAGIC)
        return refuse(HEAP_ERR_DOUBLE_FREE, pointer);
    if (((struct slab *)page)->magic != SLAB_MAGIC)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    return small_free((struct slab *)page, pointer);
}

void heap_get_stats(struct heap_stats *out) { *out = stats; }

void heap_trim(void) {
    for (int c = 0; c < HEAP_CLASSES; c++) {
        struct slab *s = partial[c];
        while (s) {
            struct slab *next = s->next;
            if (s->free_count == s->capacity) {
                list_del(s);
                s->magic = DEAD_MAGIC;
                stats.slabs[c]--;
                source.free_pages(s, 0);
            }
            s = next;
        }
    }
}
