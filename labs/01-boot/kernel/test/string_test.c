// string_test.c: memory and string functions.
#include "ktest.h"
#include "string.h"

KTEST(string, memset_fills_exactly) {
    char buf[16];
    memset(buf, 'a', sizeof buf);
    memset(buf + 4, 'b', 8);
    EXPECT_EQ(buf[3], 'a');
    EXPECT_EQ(buf[4], 'b');
    EXPECT_EQ(buf[11], 'b');
    EXPECT_EQ(buf[12], 'a');
}

KTEST(string, memcpy_copies) {
    char src[] = "baton", dst[8] = {0};
    EXPECT_TRUE(memcpy(dst, src, 6) == dst);
    EXPECT_STREQ(dst, "baton");
}

KTEST(string, memmove_handles_overlap) {
    char a[] = "0123456789";
    memmove(a + 2, a, 5);  // forward overlap
    EXPECT_STREQ(a, "0101234789");
    char b[] = "0123456789";
    memmove(b, b + 2, 5);  // backward overlap
    EXPECT_STREQ(b, "2345656789");
}

KTEST(string, memcmp_orders_bytes_unsigned) {
    EXPECT_EQ(memcmp("abc", "abc", 3), 0);
    EXPECT_TRUE(memcmp("abc", "abd", 3) < 0);
    EXPECT_TRUE(memcmp("\xff", "\x01", 1) > 0);
    EXPECT_EQ(memcmp("abc", "xyz", 0), 0);
}

KTEST(string, strlen_and_strnlen) {
    EXPECT_EQ(strlen(""), 0);
    EXPECT_EQ(strlen("baton"), 5);
    EXPECT_EQ(strnlen("baton", 3), 3);
    EXPECT_EQ(strnlen("ab", 10), 2);
}

KTEST(string, strcmp_and_strncmp) {
    EXPECT_EQ(strcmp("a", "a"), 0);
    EXPECT_TRUE(strcmp("a", "b") < 0);
    EXPECT_TRUE(strcmp("ab", "a") > 0);
    EXPECT_EQ(strncmp("abcx", "abcy", 3), 0);
    EXPECT_TRUE(strncmp("abcx", "abcy", 4) < 0);
    EXPECT_EQ(strncmp("a", "a", 10), 0);
}

KTEST(string, strchr_finds_first_and_nul) {
    const char *s = "a=b=c";
    EXPECT_TRUE(strchr(s, '=') == s + 1);
    EXPECT_TRUE(strchr(s, 'z') == NULL);
    EXPECT_TRUE(strchr(s, '\0') == s + 5);
}

KTEST(string, strlcpy_truncates_and_terminates) {
    char buf[4];
    EXPECT_EQ(strlcpy(buf, "ab", sizeof buf), 2);
    EXPECT_STREQ(buf, "ab");
    EXPECT_EQ(strlcpy(buf, "abcdef", sizeof buf), 6);
    EXPECT_STREQ(buf, "abc");
}
