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
// kfree finds a pointer's page by rounding down. It reads the page at once
// when the page source's live-page bitmap (heap.h) says the page starts one
// of the heap's blocks, and otherwise only if owns() says it may. It trusts
// the page only if the header there carries the right magic number and the
// pointer falls exactly on an object: a stray pointer is refused, not freed.
#include "heap.h"
#include "failalloc.h"
#include "string.h"
#include <stdbool.h>

#define PAGE         4096ul
#define SLAB_MAGIC   0x5EAB5EAB5EAB5EABull
#define LARGE_MAGIC  0x1A26E1A26E1A26E1ull
#define DEAD_MAGIC   0xDEADDEADDEADDEADull
#define SLAB_HEADER  128  // objects start here (16-aligned)
#define LARGE_HEADER 64
#define MIN_SHIFT    4  // the smallest class: 16 bytes
// The rare paths (a new slab, an emptied one, a large block, a refusal)
// stay out of line, so that kmalloc and kfree of a small object need few
// saved registers: kmalloc_kfree_64 in make bench.
#define NOINLINE __attribute__((noinline))

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
    if (!source.live_pages)
        source.window_pages = 0;  // no bitmap: live_page() is always false
    memset(partial, 0, sizeof partial);
    memset(&stats, 0, sizeof stats);
}

// Whether page starts one of the heap's blocks, from the page source's
// bitmap (heap.h); false when there is none.
static bool live_page(const void *page) {
    // LAB 3: BEGIN SOLUTION
    uint64_t i = ((uintptr_t)page - source.window_start) / PAGE;
    return i < source.window_pages && (source.live_pages[i / 64] >> (i % 64) & 1);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)page;
    // LAB 3: STUB return false;   /* lab 3: live_page not written yet */
}

static void set_live(const void *page, bool live) {
    // LAB 3: BEGIN SOLUTION
    uint64_t i = ((uintptr_t)page - source.window_start) / PAGE;
    if (i >= source.window_pages)
        return;
    if (live)
        source.live_pages[i / 64] |= 1ull << (i % 64);
    else
        source.live_pages[i / 64] &= ~(1ull << (i % 64));
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)page, (void)live;   /* lab 3: set_live not written yet */
}

// The smallest class that holds size bytes: log2 of size rounded up to a
// power of two, less MIN_SHIFT (clz counts the leading zero bits).
static int class_of(size_t size) {
    // LAB 3: BEGIN SOLUTION
    return size <= (1u << MIN_SHIFT) ? 0 : 64 - __builtin_clzl(size - 1) - MIN_SHIFT;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)size;
    // LAB 3: STUB return 0;   /* lab 3: class_of not written yet */
}

// Put slab s at the head of its class's list of slabs with free objects.
static void list_add(struct slab *s) {
    // LAB 3: BEGIN SOLUTION
    struct slab **head = &partial[s->class_index];
    s->prev = NULL;
    s->next = *head;
    if (*head)
        (*head)->prev = s;
    *head = s;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)s;   /* lab 3: list_add not written yet */
}

static void list_del(struct slab *s) {
    // LAB 3: BEGIN SOLUTION
    if (s->prev)
        s->prev->next = s->next;
    else
        partial[s->class_index] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)s;   /* lab 3: list_del not written yet */
}

// A fresh slab for class c: one page from the source, its header filled,
// every object on its free list, the slab on the class's list.
static NOINLINE struct slab *new_slab(int c) {
    // LAB 3: BEGIN SOLUTION
    struct slab *s = source.alloc_pages(0);
    if (!s)
        return NULL;
    set_live(s, true);
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
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)c, (void)list_add;
    // LAB 3: STUB return NULL;   /* lab 3: new_slab not written yet */
}

static void *small_alloc(int c);

// No slab of class c has room: make one, then allocate from it. (Out of
// line, so that small_alloc itself makes no call but this tail call.)
static NOINLINE void *refill_and_alloc(int c) {
    // LAB 3: BEGIN SOLUTION
    return new_slab(c) ? small_alloc(c) : NULL;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)c, (void)new_slab;
    // LAB 3: STUB return NULL;   /* lab 3: refill_and_alloc not written yet */
}

// An object of class c from the first slab with room.
static void *small_alloc(int c) {
    // LAB 3: BEGIN SOLUTION
    struct slab *s = partial[c];
    if (!s)
        return refill_and_alloc(c);
    void **object = s->free_list;
    s->free_list = *object;
    unsigned index = ((char *)object - (char *)s - SLAB_HEADER) >> (c + MIN_SHIFT);
    s->allocated[index / 64] |= 1ull << (index % 64);
    if (--s->free_count == 0)
        list_del(s);  // full: no longer a candidate
    stats.objects[c]++;
    return object;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)refill_and_alloc, (void)list_del;
    // LAB 3: STUB (void)c;
    // LAB 3: STUB return NULL;   /* lab 3: small_alloc not written yet */
}

// A block of 2^order pages that holds the header and size bytes.
static void *large_alloc(size_t size) {
    // LAB 3: BEGIN SOLUTION
    int order = 0;
    while ((PAGE << order) < size + LARGE_HEADER)
        order++;
    struct large_header *h = source.alloc_pages(order);
    if (!h)
        return NULL;
    set_live(h, true);
    h->magic = LARGE_MAGIC;
    h->order = order;
    stats.large_blocks++;
    stats.large_pages += 1ull << order;
    return (char *)h + LARGE_HEADER;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)size;
    // LAB 3: STUB return NULL;   /* lab 3: large_alloc not written yet */
}

// kmalloc's work: a small object from its class's slab, or a large block.
static inline void *alloc_object(size_t size) {
    // LAB 3: BEGIN SOLUTION
    if (size > HEAP_MAX_SMALL)
        return size > (1ul << 40) ? NULL : large_alloc(size);
    return small_alloc(class_of(size));  // size 0 gets the smallest class
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)size, (void)class_of, (void)small_alloc, (void)large_alloc;
    // LAB 3: STUB return NULL;   /* lab 3: kmalloc not written yet */
}

// kmalloc while failalloc=N (lab 04 on) counts allocations (failalloc.h): it
// may fail as if memory had run out. Out of line, so that kmalloc's usual
// path makes no call.
static NOINLINE void *alloc_object_or_fail(size_t size) {
    return failalloc("kmalloc") ? NULL : alloc_object(size);
}

void *kmalloc(size_t size) {
    if (__builtin_expect(failalloc_armed, 0))
        return alloc_object_or_fail(size);
    return alloc_object(size);
}

void *kzalloc(size_t size) {
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

static NOINLINE int refuse(int err, const void *pointer) {
    stats.refused_frees++;
    if (source.report)
        source.report(err == HEAP_ERR_DOUBLE_FREE ? "double free"
                                                  : "not a pointer kmalloc returned",
                      pointer);
    return err;
}

// Give an emptied slab back to the page source.
static NOINLINE void release_slab(struct slab *s) {
    // LAB 3: BEGIN SOLUTION
    list_del(s);
    s->magic = DEAD_MAGIC;
    set_live(s, false);
    stats.slabs[s->class_index]--;
    source.free_pages(s, 0);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)s, (void)set_live;   /* lab 3: release_slab not written yet */
}

// Free an object of slab s: refuse a pointer that is not exactly on an
// object, or one that is free already.
static int small_free(struct slab *s, void *pointer) {
    // LAB 3: BEGIN SOLUTION
    int c = s->class_index;
    // A pointer into the header makes the offset wrap around: a huge index.
    uint64_t offset = (uintptr_t)pointer - (uintptr_t)s - SLAB_HEADER;
    uint64_t index = offset >> (c + MIN_SHIFT);
    if ((offset & (heap_class_size(c) - 1)) || index >= s->capacity)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    uint64_t bit = 1ull << (index % 64);
    if (!(s->allocated[index / 64] & bit))
        return refuse(HEAP_ERR_DOUBLE_FREE, pointer);
    s->allocated[index / 64] &= ~bit;
    *(void **)pointer = s->free_list;
    s->free_list = pointer;
    stats.objects[c]--;
    if (++s->free_count == 1)
        list_add(s);  // it has room again
    if (s->free_count == s->capacity && (s->prev || s->next))
        release_slab(s);  // empty, and not the class's last
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)s, (void)release_slab;
    // LAB 3: STUB /* lab 3: small_free not written yet */
    // LAB 3: STUB return refuse(HEAP_ERR_FOREIGN, pointer);
}

// A pointer whose page does not start a slab: the object just after a
// large block's header, a large block freed already, or not ours.
static NOINLINE int large_free(char *page, void *pointer) {
    // LAB 3: BEGIN SOLUTION
    struct large_header *h = (struct large_header *)page;
    if ((char *)pointer != page + LARGE_HEADER)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    if (h->magic == DEAD_MAGIC)
        return refuse(HEAP_ERR_DOUBLE_FREE, pointer);
    if (h->magic != LARGE_MAGIC)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    h->magic = DEAD_MAGIC;
    set_live(h, false);
    stats.large_blocks--;
    stats.large_pages -= 1ull << h->order;
    source.free_pages(h, h->order);
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)page;
    // LAB 3: STUB /* lab 3: large_free not written yet */
    // LAB 3: STUB return refuse(HEAP_ERR_FOREIGN, pointer);
}

// The page's header decides: a slab, or else perhaps a large block.
static int free_by_header(char *page, void *pointer) {
    // LAB 3: BEGIN SOLUTION
    if (((struct slab *)page)->magic == SLAB_MAGIC)
        return small_free((struct slab *)page, pointer);
    return large_free(page, pointer);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)page, (void)small_free, (void)large_free;
    // LAB 3: STUB /* lab 3: free_by_header not written yet */
    // LAB 3: STUB return refuse(HEAP_ERR_FOREIGN, pointer);
}

// A pointer whose page does not start a live block: NULL, a block freed
// already, a stray pointer. Its page is read only if owns() allows it.
static NOINLINE int free_other(void *pointer) {
    // LAB 3: BEGIN SOLUTION
    if (pointer == NULL)
        return 0;
    if (source.owns && !source.owns(pointer))
        return refuse(HEAP_ERR_FOREIGN, pointer);
    return free_by_header((char *)((uintptr_t)pointer & ~(PAGE - 1)), pointer);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)free_by_header;
    // LAB 3: STUB /* lab 3: free_other not written yet */
    // LAB 3: STUB return pointer ? refuse(HEAP_ERR_FOREIGN, pointer) : 0;
}

// Find the pointer's page in O(1) (round down); a live page of the heap
// may be read at once, anything else goes the slow way (free_other).
// Every step is a tail call, so the common path saves no register.
int kfree(void *pointer) {
    // LAB 3: BEGIN SOLUTION
    if (((uintptr_t)pointer & 15) != 0)
        return refuse(HEAP_ERR_FOREIGN, pointer);
    char *page = (char *)((uintptr_t)pointer & ~(PAGE - 1));
    if (!live_page(page))
        return free_other(pointer);
    return free_by_header(page, pointer);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)live_page, (void)free_other;
    // LAB 3: STUB /* lab 3: kfree not written yet */
    // LAB 3: STUB return pointer ? refuse(HEAP_ERR_FOREIGN, pointer) : 0;
}

void heap_get_stats(struct heap_stats *out) { *out = stats; }

void heap_trim(void) {
    // LAB 3: BEGIN SOLUTION
    for (int c = 0; c < HEAP_CLASSES; c++) {
        struct slab *s = partial[c];
        while (s) {
            struct slab *next = s->next;
            if (s->free_count == s->capacity)
                release_slab(s);
            s = next;
        }
    }
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: heap_trim not written yet */
}
