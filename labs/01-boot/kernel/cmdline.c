// cmdline.c: parsing the kernel command line and acting on it.
//
// The loader passes one string, for example "test=kprintf,timer quiet".
// Words are separated by spaces; a word is "key" or "key=value". Keys are
// registered with CMDLINE_KEY() in the file that uses them, so a later lab
// adds a key (run=, bench) without editing this file. An unknown key is
// reported and ignored: a typo must not stop the boot.
#include "cmdline.h"
#include "kprintf.h"
#include "panic.h"
#include "string.h"

static struct cmdline boot_cmdline;
extern const struct cmdline_key __cmdline_keys_start[], __cmdline_keys_end[];

#define warn(cl, report, ...) \
    do { \
        (cl)->problems++; \
        if (report) \
            kprintf("cmdline: " __VA_ARGS__); \
    } while (0)

static bool printable(const char *s) {
    // LAB 1: BEGIN SOLUTION
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7E)
            return false;
    return true;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)s;
    // LAB 1: STUB return true;   /* lab 1: printable not written yet */
}

// The index of key's word in cl, or -1.
static int find_arg(const struct cmdline *cl, const char *key) {
    // LAB 1: BEGIN SOLUTION
    for (int i = 0; i < cl->count; i++)
        if (strcmp(cl->args[i].key, key) == 0)
            return i;
    return -1;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)cl;
    // LAB 1: STUB (void)key;
    // LAB 1: STUB return -1;   /* lab 1: find_arg not written yet */
}

// Record one word, already NUL-terminated inside cl->buffer.
static void add_word(struct cmdline *cl, char *word, bool report) {
    // LAB 1: BEGIN SOLUTION
    if (!printable(word)) {
        warn(cl, report, "ignoring a word with a non-printable character\n");
        return;
    }
    char *eq = strchr(word, '=');
    const char *value = NULL;
    if (eq) {
        *eq = '\0';
        value = eq + 1;
    }
    if (word[0] == '\0') {
        warn(cl, report, "ignoring '=%s': no key before '='\n", value);
        return;
    }
    int i = find_arg(cl, word);
    if (i >= 0) {
        warn(cl, report, "key '%s' given twice; the last one counts\n", word);
        cl->args[i].value = value;
        return;
    }
    if (cl->count == CMDLINE_MAX_ARGS) {
        warn(cl, report, "more than %d words; ignoring '%s'\n", CMDLINE_MAX_ARGS, word);
        return;
    }
    cl->args[cl->count++] = (struct cmdline_arg){word, value};
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)report;   /* lab 1: add_word checks nothing yet */
    // LAB 1: STUB (void)printable;
    // LAB 1: STUB char *eq = strchr(word, '=');
    // LAB 1: STUB if (eq)
    // LAB 1: STUB     *eq = '\0';
    // LAB 1: STUB if (cl->count < CMDLINE_MAX_ARGS)
    // LAB 1: STUB     cl->args[cl->count++] = (struct cmdline_arg){word, eq ? eq + 1 : NULL};
}

void cmdline_parse(const char *text, struct cmdline *cl, bool report) {
    // LAB 1: BEGIN SOLUTION
    memset(cl, 0, sizeof *cl);
    if (strlcpy(cl->buffer, text, sizeof cl->buffer) >= sizeof cl->buffer)
        warn(cl, report, "longer than %d bytes; the rest is ignored\n", CMDLINE_MAX_LEN - 1);
    char *p = cl->buffer;
    bool first = true;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (*p == '\0')
            break;
        char *word = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
        // Some loaders pass the kernel's own path first: skip it.
        if (first && word[0] == '/') {
            first = false;
            continue;
        }
        first = false;
        add_word(cl, word, report);
    }
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)text, (void)cl, (void)report, (void)add_word;
    // LAB 1: STUB panic("lab 1: cmdline_parse not written yet (kernel/cmdline.c)");
}

const struct cmdline_key *cmdline_find_key(const char *name) {
    for (const struct cmdline_key *k = __cmdline_keys_start; k < __cmdline_keys_end; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

int cmdline_report_unknown(const struct cmdline *cl, bool print) {
    // LAB 1: BEGIN SOLUTION
    int unknown = 0;
    for (int i = 0; i < cl->count; i++) {
        if (cmdline_find_key(cl->args[i].key))
            continue;
        unknown++;
        if (!print)
            continue;
        kprintf("cmdline: unknown key '%s' (ignored; known:", cl->args[i].key);
        for (const struct cmdline_key *k = __cmdline_keys_start; k < __cmdline_keys_end; k++)
            kprintf(" %s", k->name);
        kprintf(")\n");
    }
    return unknown;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)cl;   /* lab 1: unknown keys are not reported yet */
    // LAB 1: STUB (void)print;
    // LAB 1: STUB return 0;
}

void cmdline_init(const char *text) {
    cmdline_parse(text, &boot_cmdline, true);
    cmdline_report_unknown(&boot_cmdline, true);
}

bool cmdline_has(const char *key) { return find_arg(&boot_cmdline, key) >= 0; }

const char *cmdline_get(const char *key) {
    int i = find_arg(&boot_cmdline, key);
    return i >= 0 ? boot_cmdline.args[i].value : NULL;
}

void cmdline_run_actions(void) {
    // LAB 1: BEGIN SOLUTION
    for (int i = 0; i < boot_cmdline.count; i++) {
        const struct cmdline_key *k = cmdline_find_key(boot_cmdline.args[i].key);
        if (k && k->action)
            k->action(boot_cmdline.args[i].value);
    }
    // LAB 1: END SOLUTION
    // LAB 1: STUB panic("lab 1: cmdline_run_actions not written yet (kernel/cmdline.c)");
}

bool cmdline_list_contains(const char *list, const char *item) {
    // LAB 1: BEGIN SOLUTION
    size_t n = strlen(item);
    if (list == NULL || n == 0)
        return false;
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        if (!comma)
            break;
        p = comma + 1;
    }
    return false;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)list, (void)item;
    // LAB 1: STUB return true;   /* lab 1: not written yet: test=a,b runs every suite */
}
