// kprintf_test.c: the formatter, checked through snprintf.
#include "kprintf.h"
#include "ktest.h"
#include <stdint.h>

// Format into a buffer and compare with what C's printf would print.
#define EXPECT_FORMAT(expected, ...) \
    do { \
        char buf_[128]; \
        snprintf(buf_, sizeof buf_, __VA_ARGS__); \
        EXPECT_STREQ(buf_, expected); \
    } while (0)

// The compiler rejects bad formats at compile time; to test what kprintf
// does with them at run time, call it through a function it cannot check.
static void format_unchecked(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

KTEST(kprintf, decimal) {
    EXPECT_FORMAT("0", "%d", 0);
    EXPECT_FORMAT("42 -42", "%d %i", 42, -42);
    EXPECT_FORMAT("-2147483648", "%d", (int)0x80000000);
    EXPECT_FORMAT("4294967295", "%u", 0xFFFFFFFFu);
    EXPECT_FORMAT("-9223372036854775808", "%ld", (long)INT64_MIN);
    EXPECT_FORMAT("18446744073709551615", "%lu", ~0ul);
    EXPECT_FORMAT("123456789012", "%lld", 123456789012ll);
    EXPECT_FORMAT("17", "%zu", sizeof(char[17]));
}

KTEST(kprintf, hex) {
    EXPECT_FORMAT("ff", "%x", 255);
    EXPECT_FORMAT("DEADBEEF", "%X", 0xDEADBEEFu);
    EXPECT_FORMAT("ffffffff80100000", "%lx", 0xFFFFFFFF80100000ul);
    EXPECT_FORMAT("123456789abcdef0", "%llx", 0x123456789ABCDEF0ull);
    EXPECT_FORMAT("0", "%x", 0);
}

KTEST(kprintf, pointer) {
    EXPECT_FORMAT("0xffffffff80000000", "%p", (void *)0xFFFFFFFF80000000ul);
    EXPECT_FORMAT("0x0", "%p", (void *)0);
}

KTEST(kprintf, strings_and_chars) {
    EXPECT_FORMAT("hello, world", "%s, %s", "hello", "world");
    char buf[16];
    format_unchecked(buf, sizeof buf, "%s", (char *)0);
    EXPECT_STREQ(buf, "(null)");
    EXPECT_FORMAT("abc", "%.3s", "abcdef");
    EXPECT_FORMAT("ab|", "%.*s|", 2, "abcdef");
    EXPECT_FORMAT("x=A", "x=%c", 'A');
    EXPECT_FORMAT("100%", "100%%");
}

KTEST(kprintf, width_and_padding) {
    EXPECT_FORMAT("   42", "%5d", 42);
    EXPECT_FORMAT("42   |", "%-5d|", 42);
    EXPECT_FORMAT("00042", "%05d", 42);
    EXPECT_FORMAT("-0042", "%05d", -42);
    EXPECT_FORMAT("  -42", "%5d", -42);
    EXPECT_FORMAT("000000ff", "%08x", 255);
    EXPECT_FORMAT("  ab|", "%4s|", "ab");
    EXPECT_FORMAT("ab  |", "%-4s|", "ab");
    EXPECT_FORMAT("    7", "%*d", 5, 7);
    EXPECT_FORMAT("12345", "%3d", 12345);  // a width never truncates
}

KTEST(kprintf, unknown_conversion_is_printed) {
    char buf[16];
    format_unchecked(buf, sizeof buf, "a %q b");
    EXPECT_STREQ(buf, "a %q b");
    format_unchecked(buf, sizeof buf, "end %");
    EXPECT_STREQ(buf, "end %");
}

KTEST(kprintf, snprintf_truncates_and_counts) {
    char buf[8];
    int n = snprintf(buf, sizeof buf, "%s", "0123456789");
    EXPECT_EQ(n, 10);              // the length it would have had
    EXPECT_STREQ(buf, "0123456");  // always terminated
    buf[0] = 'x';
    EXPECT_EQ(snprintf(buf, 0, "abc"), 3);
    EXPECT_EQ(buf[0], 'x');  // size 0 writes nothing
    EXPECT_EQ(snprintf(buf, 1, "abc"), 3);
    EXPECT_EQ(buf[0], '\0');
}
