// string.c: memory and string functions, written plainly.
//
// The compiler may emit calls to memset, memcpy, memmove and memcmp on its
// own (for struct copies), so these four must exist with these names.
#include "string.h"
#include <stdint.h>

// Word by word where it can: page tables and frames are cleared 4 KiB at
// a time, and a byte loop would make that the boot's largest cost.
void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n > 0 && ((uintptr_t)d & 7)) {
        *d++ = (unsigned char)c;
        n--;
    }
    uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 32; n -= 32, d += 32) {
        ((uint64_t *)d)[0] = pattern;
        ((uint64_t *)d)[1] = pattern;
        ((uint64_t *)d)[2] = pattern;
        ((uint64_t *)d)[3] = pattern;
    }
    for (; n > 0; n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0)
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    while (n--)
        *d++ = *s++;
    return dst;
}

// Like memcpy, but the two ranges may overlap: copy backwards when the
// destination starts inside the source.
void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d > s && d < s + n) {
        while (n--)
            d[n] = s[n];
    } else {
        while (n--)
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

size_t strnlen(const char *s, size_t max) {
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

// Copy at most size-1 bytes and always terminate (when size > 0).
// Returns strlen(src), so truncation shows as a result >= size.
size_t strlcpy(char *dst, const char *src, size_t size) {
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
