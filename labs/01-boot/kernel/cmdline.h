// cmdline.h: the kernel command line, "key" or "key=value" words.
#pragma once
#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_ARGS 16
#define CMDLINE_MAX_LEN  1024

struct cmdline_arg {
    const char *key;
    const char *value;  // NULL for a bare "key"
};

struct cmdline {
    int count;
    struct cmdline_arg args[CMDLINE_MAX_ARGS];
    char buffer[CMDLINE_MAX_LEN];  // the words, split in place
    int problems;                  // how many warnings parsing printed
};

// A key the kernel understands, registered from any file:
//   CMDLINE_KEY(test, "run the in-kernel tests", run_tests);
// `action`, when not NULL, runs at the end of boot with the key's value
// (or NULL), in command-line order; it may power off.
struct cmdline_key {
    const char *name;
    const char *help;
    void (*action)(const char *value);
};
#define CMDLINE_KEY(key, help, action) \
    static const struct cmdline_key cmdline_key_##key \
        __attribute__((used, section(".cmdline_keys"), aligned(8))) = {#key, help, action}

// Parse text into *cl. Problems (an empty key, too many words, a word too
// long, a non-printable character, a repeated key) are printed as
// "cmdline: ..." lines when `report` is true and counted; they never stop
// the boot.
void cmdline_parse(const char *text, struct cmdline *cl, bool report);

// The boot's own command line, parsed by cmdline_init().
void cmdline_init(const char *text);
bool cmdline_has(const char *key);
const char *cmdline_get(const char *key);  // NULL when absent or bare (lab 06's budget=)
const struct cmdline_key *cmdline_find_key(const char *name);
int cmdline_report_unknown(const struct cmdline *cl, bool print);  // returns the count
void cmdline_run_actions(void);

// True when `item` is one of the comma-separated words in `list`.
bool cmdline_list_contains(const char *list, const char *item);
