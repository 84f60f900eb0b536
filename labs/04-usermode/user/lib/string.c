// string.c: memory and string functions, written plainly.
//
// The compiler may emit calls to memset, memcpy, memmove and memcmp on its
// own (to clear or copy a struct or an array), even with -fno-builtin, so
// these four must exist with exactly these names and meanings.
#include "string.h"
#include <stdint.h>

// Eight bytes at a time once the destination is aligned: malloctest and
// bigbss fill megabytes, and a byte loop would make that slow.
void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n > 0 && ((uintptr_t)d & 7)) {
        *d++ = (unsigned char)c;
        n--;
    }
    uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 8; n -= 8, d += 8)
        *(uint64_t *)d = pattern;
    while (n-- > 0)
        *d++ = (unsigned char)c;
    return dst;
}

// Eight bytes at a time when both pointers are aligned.
void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0)
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

// Like memcpy, but the ranges may overlap: when the destination starts
// inside the source, copy from the end so no byte is overwritten before
// it is read.
void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d > s && d < s + n) {
        while (n-- > 0)
            d[n] = s[n];
    } else {
        while (n-- > 0)
            *d++ = *s++;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

// Compare at most n characters.
int strncmp(const char *a, const char *b, size_t n) {
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

// The first c in s (the terminating '\0' counts), or NULL.
char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}
