// elf_host_test.c: kernel/elf.c, built natively under AddressSanitizer and
// UndefinedBehaviorSanitizer, on the seed files in corpus/elf/ and
// build/elf-seeds/.
//
//   good-*  programs elf_check must accept, and what it reports must match
//           the file's own headers (read here independently): hello, relocs
//           and bigbss are user programs of this lab (build/user/, stripped);
//           pie-small is a ten-line static PIE with four relocations, linked
//           with -z noseparate-code, so its text shares a segment with the
//           headers and its data sits in the same file page (corpus/elf/);
//   bad-*   broken programs, each refused for the reason the table below
//           gives: every kind grading/badelf.py makes, each from pie-small
//           with one thing wrong (build/elf-seeds/, made by elf.mk);
// then every prefix of every good file, fields just inside and just past
// each limit, and 200,000 mutants (bits flipped, fields overwritten with
// edge values, files cut short), each in a buffer of exactly its size so
// that any read past the end stops the run. A refusal is always fine; an
// acceptance must keep every promise that elf_image_broken() (elf_fuzz.c,
// shared with the fuzzer) checks. A mutant that breaks one is saved as
// build/elf-mutant-failed (replay: ./build/elf_fuzz build/elf-mutant-failed).
//
// Usage: elf_host_test [seed directory ...]   (default corpus/elf build/elf-seeds)
#include "../kernel/elf.h"
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *elf_image_broken(const uint8_t *file, uint64_t size, const struct elf_image *img);

#include "host_test.h"

// --- The seeds. -------------------------------------------------------------

#define MAX_SEEDS 64
struct seed {
    char name[64];
    uint8_t *data;
    uint64_t size;
};
static struct seed good[MAX_SEEDS], bad[MAX_SEEDS];
static int ngood, nbad;

static int read_file(const char *path, uint8_t **data, uint64_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = malloc(n > 0 ? n : 1);
    *size = n;
    int ok = n >= 0 && *data && fread(*data, 1, n, f) == (size_t)n;
    fclose(f);
    return ok ? 0 : -1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct seed *)a)->name, ((const struct seed *)b)->name);
}

// The good-* and bad-* files of one directory, added to good[] and bad[].
static void load_seeds(const char *corpus) {
    DIR *dir = opendir(corpus);
    if (!dir) {
        printf("  cannot open the seed directory %s\n", corpus);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        int is_good = strncmp(e->d_name, "good-", 5) == 0,
            is_bad = strncmp(e->d_name, "bad-", 4) == 0;
        struct seed *s = is_good && ngood < MAX_SEEDS ? &good[ngood]
                         : is_bad && nbad < MAX_SEEDS ? &bad[nbad]
                                                      : NULL;
        if (!s || strlen(e->d_name) >= sizeof s->name)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", corpus, e->d_name);
        if (read_file(path, &s->data, &s->size) < 0) {
            printf("  cannot read %s\n", path);
            continue;
        }
        strcpy(s->name, e->d_name);
        is_good ? ngood++ : nbad++;
    }
    closedir(dir);
}

// elf_check on a copy of exactly `size` bytes, so AddressSanitizer sees any
// read past the end; the copy is freed before returning. 0 accepted, -1
// refused (*why says why), 2 accepted but inconsistent (said here).
static int check_copy(const uint8_t *data, uint64_t size, struct elf_image *img, const char **why) {
    uint8_t *copy = malloc(size);
    if (size)
        memcpy(copy, data, size);
    int result = elf_check(copy, size, img, why);
    const char *broken = result == 0 ? elf_image_broken(copy, size, img) : NULL;
    free(copy);
    if (broken) {
        printf("  accepted, but %s\n", broken);
        return 2;
    }
    return result;
}

// --- The file's own headers, read without elf.c. ---------------------------

static uint64_t le(const uint8_t *p, int bytes) {
    uint64_t v = 0;
    while (bytes-- > 0)
        v = v << 8 | p[bytes];
    return v;
}

static int test_good_seeds_accepted(void) {
    CHECK(ngood >= 1);
    int with_relocations = 0;
    for (int k = 0; k < ngood; k++) {
        const uint8_t *f = good[k].data;
        struct elf_image img;
        const char *why = "";
        int result = check_copy(f, good[k].size, &img, &why);
        if (result != 0)
            printf("  %s: %s\n", good[k].name, result < 0 ? why : "inconsistent");
        CHECK(result == 0);
        CHECK(img.entry == le(f + 24, 8));
        uint64_t phoff = le(f + 32, 8), relasz = 0;
        int loads = 0;
        for (uint64_t i = 0; i < le(f + 56, 2); i++) {
            const uint8_t *ph = f + phoff + 56 * i;
            if (le(ph, 4) == 1) {  // PT_LOAD
                const struct elf_segment *s = &img.segments[loads++];
                CHECK(loads <= img.nsegments);
                CHECK(s->offset == le(ph + 8, 8) && s->vaddr == le(ph + 16, 8));
                CHECK(s->filesz == le(ph + 32, 8) && s->memsz == le(ph + 40, 8));
                CHECK(s->exec == ((le(ph + 4, 4) & 1) != 0) &&
                      s->write == ((le(ph + 4, 4) & 2) != 0));
            } else if (le(ph, 4) == 2) {  // PT_DYNAMIC: find DT_RELASZ
                for (uint64_t d = le(ph + 8, 8); d + 16 <= good[k].size && le(f + d, 8) != 0;
                     d += 16)
                    if (le(f + d, 8) == 8)
                        relasz = le(f + d + 8, 8);
            }
        }
        CHECK(loads == img.nsegments);
        CHECK(img.rela_count == relasz / 24);
        with_relocations += img.rela_count > 0;
        printf("  %s: %llu bytes, %d segments, %llu relocations\n", good[k].name,
               (unsigned long long)good[k].size, img.nsegments, (unsigned long long)img.rela_count);
    }
    CHECK(with_relocations > 0);  // the relocation checks must be exercised
    return 1;
}

// --- The broken files. ------------------------------------------------------

// What each bad seed is refused for: a piece of elf_check's sentence. Its
// name is badelf.py's for the kind (bad-magic for bad_magic); a kind added
// there needs its line here.
static const struct {
    const char *name, *reason;
} expected[] = {
    {"bad-empty", "smaller than an ELF header"},
    {"bad-truncated-header", "smaller than an ELF header"},
    {"bad-magic", "bad magic"},
    {"bad-class", "not a 64-bit ELF file (class 1)"},
    {"bad-data", "not little-endian"},
    {"bad-machine", "not an x86-64 program (machine 3)"},
    {"bad-machine-aarch64", "not an x86-64 program (machine 183)"},
    {"bad-type", "not a position-independent executable (type 2)"},
    {"bad-wrong-phentsize", "program header entries have the wrong size"},
    {"bad-phnum-overflow", "65535 program headers"},
    {"bad-phdrs-outside", "program headers lie outside the file"},
    {"bad-phoff-overflow", "program headers lie outside the file"},   // e_phoff + size wraps
    {"bad-truncated-phdrs", "program headers lie outside the file"},  // one byte short
    {"bad-truncated-segment", "segment 1: lies outside the file"},    // one byte short
    {"bad-segment-outside-file", "lies outside the file"},
    {"bad-offset-overflow", "segment 0: lies outside the file"},  // offset + filesz wraps
    {"bad-filesz-above-memsz", "file size above memory size"},
    {"bad-size-overflow", "too large for memory"},
    {"bad-too-large", "too large for memory"},
    {"bad-misaligned", "differ within a page"},
    {"bad-writable-executable", "writable and executable"},
    {"bad-overlapping-segments", "segments 0 and 1 overlap"},
    {"bad-too-many-segments", "more loadable segments than the loader takes"},
    {"bad-no-load", "no loadable segment"},
    {"bad-entry-outside", "entry point is not in an executable segment"},
    {"bad-interp", "PT_INTERP"},
    {"bad-dynamic-outside", "dynamic section lies outside the file"},
    {"bad-needed", "DT_NEEDED"},
    {"bad-relocation", "unsupported relocation R_X86_64_64 (type 1)"},
    {"bad-relocation-outside", "points outside the program"},
    {"bad-relocation-straddles-end", "points outside the program"},
    {"bad-rela-outside", "relocation table lies outside the file"},
};

static int test_bad_seeds_refused(void) {
    int ok = 1;
    for (int k = 0; k < nbad; k++) {
        struct elf_image img;
        const char *why = NULL;
        const char *want = NULL;
        for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
            if (strcmp(expected[i].name, bad[k].name) == 0)
                want = expected[i].reason;
        if (!want) {
            printf("  %s: no reason for it in expected[]\n", bad[k].name);
            ok = 0;
        } else if (check_copy(bad[k].data, bad[k].size, &img, &why) >= 0) {
            printf("  %s: accepted\n", bad[k].name);
            ok = 0;
        } else if (!why || !*why) {
            printf("  %s: refused without a reason\n", bad[k].name);
            ok = 0;
        } else if (!strstr(why, want)) {
            printf("  %s: refused with \"%s\", expected \"%s\"\n", bad[k].name, why, want);
            ok = 0;
        }
    }
    // Every seed in the table must be there: missing seeds pass nothing.
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        int found = 0;
        for (int k = 0; k < nbad; k++)
            found |= strcmp(expected[i].name, bad[k].name) == 0;
        if (!found) {
            printf("  %s is missing (elf.mk makes it with grading/badelf.py)\n", expected[i].name);
            ok = 0;
        }
    }
    return ok;
}

// Every prefix of a good file: refused whenever it cuts into a segment's
// file bytes, accepted when it ends right after the last of them (nothing
// after that is read), and otherwise refused, or accepted and consistent.
static int test_every_prefix(void) {
    for (int k = 0; k < ngood; k++) {
        struct elf_image full;
        const char *why;
        CHECK(elf_check(good[k].data, good[k].size, &full, &why) == 0);
        uint64_t needed = 0;
        for (int i = 0; i < full.nsegments; i++)
            if (full.segments[i].offset + full.segments[i].filesz > needed)
                needed = full.segments[i].offset + full.segments[i].filesz;
        for (uint64_t n = 0; n < good[k].size; n++) {
            struct elf_image img;
            int result = check_copy(good[k].data, n, &img, &why);
            if (result == 2 || (result == 0 && n < needed) || (result != 0 && n == needed))
                printf("  %s cut to %llu bytes: wrongly %s\n", good[k].name, (unsigned long long)n,
                       result == 0 || result == 2 ? "accepted" : "refused");
            CHECK(n < needed ? result < 0 : n == needed ? result == 0 : result != 2);
        }
    }
    return 1;
}

// --- Edges: one field of a good seed set just inside and just past a limit.

// elf_check on `size` bytes of `data`: 1 if the outcome is as wanted
// (accepted, or refused with a sentence containing `reason`).
static int outcome(const char *what, const uint8_t *data, uint64_t size, const char *reason) {
    struct elf_image img;
    const char *why = NULL;
    int result = check_copy(data, size, &img, &why);
    if (reason == NULL && result != 0)
        printf("  %s: %s, should be accepted\n", what, result < 0 ? why : "inconsistent");
    else if (reason != NULL && result >= 0)
        printf("  %s: accepted, should be refused (%s)\n", what, reason);
    else if (reason != NULL && !strstr(why, reason))
        printf("  %s: refused with \"%s\", expected \"%s\"\n", what, why, reason);
    else
        return 1;
    return 0;
}

static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = v & 0xff;
}

// The edges of one good seed with relocations.
static int edges_of_seed(int k) {
    struct elf_image img;
    const char *why;
    CHECK(elf_check(good[k].data, good[k].size, &img, &why) == 0 && img.rela_count > 0);
    uint64_t size = good[k].size;
    uint8_t *f = malloc(size + 16);
    memcpy(f, good[k].data, size);
    uint64_t phoff = le(f + 32, 8), phnum = le(f + 56, 2), dynamic = 0;
    for (uint64_t i = 0; i < phnum; i++)
        if (le(f + phoff + 56 * i, 4) == 2)
            dynamic = phoff + 56 * i;
    CHECK(dynamic != 0);
    int ok = 1;

    // The entry point: the last byte of an executable segment, then one past.
    for (int i = 0; i < img.nsegments; i++) {
        const struct elf_segment *s = &img.segments[i];
        if (!s->exec)
            continue;
        put64(f + 24, s->vaddr + s->memsz - 1);
        ok &= outcome("entry at the last byte of the text", f, size, NULL);
        put64(f + 24, s->vaddr + s->memsz);
        ok &= outcome("entry just past the text", f, size, "entry point");
        put64(f + 24, img.entry);
        break;
    }

    // A relocation writing the last 8 bytes of a segment, then one byte further.
    uint8_t *rela = f + img.rela_offset;
    uint64_t where = le(rela, 8);
    for (int i = 0; i < img.nsegments; i++) {
        const struct elf_segment *s = &img.segments[i];
        if (where < s->vaddr || where - s->vaddr >= s->memsz)
            continue;
        put64(rela, s->vaddr + s->memsz - 8);
        ok &= outcome("relocation of a segment's last 8 bytes", f, size, NULL);
        put64(rela, s->vaddr + s->memsz - 7);
        ok &= outcome("relocation one byte past a segment", f, size, "points outside the program");
        put64(rela, where);
    }

    // The relocation table one entry longer than its segment's file bytes.
    for (uint64_t d = le(dynamic + f + 8, 8); d + 16 <= size && le(f + d, 8) != 0; d += 16) {
        if (le(f + d, 8) != 8)  // DT_RELASZ
            continue;
        for (int i = 0; i < img.nsegments; i++) {
            const struct elf_segment *s = &img.segments[i];
            if (img.rela_offset < s->offset || img.rela_offset - s->offset >= s->filesz)
                continue;
            uint64_t room = s->filesz - (img.rela_offset - s->offset);
            put64(f + d + 8, (room / 24 + 1) * 24);
            ok &= outcome("relocation table past its segment's file bytes", f, size,
                          "relocation table lies outside");
            put64(f + d + 8, img.rela_count * 24);
        }
    }

    // A dynamic section in the last 8 bytes of the file: too short for one
    // entry, so nothing of it may be read (the buffer ends right there).
    memcpy(f + size, "\x07\0\0\0\0\0\0\0", 8);  // half an entry: DT_RELA
    uint64_t old_offset = le(f + dynamic + 8, 8), old_filesz = le(f + dynamic + 32, 8);
    put64(f + dynamic + 8, size);
    put64(f + dynamic + 32, 8);
    ok &= outcome("an 8-byte dynamic section appended to the file", f, size + 8, NULL);
    put64(f + dynamic + 8, size - 8);
    ok &= outcome("an 8-byte dynamic section in the file's last 8 bytes", f, size, NULL);
    put64(f + dynamic + 8, size - 7);
    ok &= outcome("dynamic section one byte past the end of the file", f, size,
                  "dynamic section lies outside");
    put64(f + dynamic + 8, old_offset);
    put64(f + dynamic + 32, old_filesz);
    free(f);
    if (!ok)
        printf("  (in %s)\n", good[k].name);
    return ok;
}

static int test_edges(void) {
    int ok = 1, seeds = 0;
    for (int k = 0; k < ngood; k++) {
        struct elf_image img;
        const char *why;
        if (elf_check(good[k].data, good[k].size, &img, &why) == 0 && img.rela_count > 0) {
            ok &= edges_of_seed(k);
            seeds++;
        }
    }
    CHECK(seeds > 0);

    // Exactly ELF_MAX_SEGMENTS loadable segments: the seed with one too many
    // (badelf.py adds them after the last header), without its last header.
    for (int b = 0; b < nbad; b++) {
        if (strcmp(bad[b].name, "bad-too-many-segments") != 0)
            continue;
        uint8_t *g = malloc(bad[b].size);
        memcpy(g, bad[b].data, bad[b].size);
        uint64_t phnum = le(g + 56, 2) - 1;  // e_phnum
        g[56] = phnum & 0xff;
        g[57] = phnum >> 8;
        ok &= outcome("exactly ELF_MAX_SEGMENTS loadable segments", g, bad[b].size, NULL);
        free(g);
    }
    return ok;
}

// --- Mutants. ---------------------------------------------------------------

#define MUTANTS 200000

static uint64_t rng_state = 0x5eed0fba70;
static uint64_t rng(void) {  // splitmix64: small and deterministic
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Values at the edges of the checks: sizes, pages, the span limit,
// wrap-around, and the ends of the seed's own segments and tables.
static uint64_t edges[64];
static int nedges;

static void add_edge(uint64_t v) {
    if (nedges < 64)
        edges[nedges++] = v;
}

static void find_edges(const struct elf_image *img, uint64_t size) {
    nedges = 0;
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        add_edge(s->vaddr + s->memsz);
        add_edge(s->vaddr + s->memsz - 1);
        add_edge(s->vaddr + s->memsz - 8);
        add_edge(s->vaddr + s->filesz);
        add_edge(s->offset + s->filesz);
        add_edge(s->offset + s->filesz - 8);
    }
    add_edge(size - 16);
    add_edge(img->rela_count * 24 + 24);
}

static uint64_t interesting(uint64_t size) {
    const uint64_t values[] = {
        0,
        1,
        2,
        3,
        7,
        8,
        16,
        24,
        56,
        64,
        0xff,
        0xfff,
        0x1000,
        0x1001,
        0x2000,
        0xffff,
        size,
        size - 1,
        size + 1,
        size - 8,
        size - 24,
        size / 2,
        -size,
        ELF_MAX_SPAN,
        ELF_MAX_SPAN - 1,
        ELF_MAX_SPAN + 1,
        ELF_MAX_SPAN - 0x1000,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        1ull << 32,
        1ull << 63,
        (1ull << 63) - 1,
        UINT64_MAX,
        UINT64_MAX - 7,
        UINT64_MAX - 0xfff,
        UINT64_MAX - size,
    };
    uint64_t r = rng();
    if (r % 8 == 0)
        return rng();
    if (r % 8 < 3 && nedges > 0)
        return edges[r / 8 % nedges];
    return values[r / 8 % (sizeof values / sizeof values[0])];
}

// Where mutations matter most: the headers, the dynamic section and the
// relocation table of the original file.
struct hot {
    uint64_t start, len;
};

static uint64_t pick_position(const struct hot *hot, int nhot, uint64_t size, int align) {
    uint64_t r = rng(), at;
    if (r % 4 < 3 && nhot > 0) {
        const struct hot *h = &hot[r / 4 % nhot];
        at = h->start + rng() % (h->len ? h->len : 1);
    } else {
        at = rng() % size;
    }
    if (at + align > size)
        at = size - align;
    return at - at % align;
}

static void put(uint8_t *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++, v >>= 8)
        p[i] = v & 0xff;
}

// Change `buf` (of `*size` bytes, from a seed of `size` bytes) in one way.
static void mutate(uint8_t *buf, uint64_t *size, const struct hot *hot, int nhot) {
    uint64_t r = rng(), n = *size;
    if (n < 8)
        return;
    int kind = r % 16, width = 1 << (r / 16 % 4);  // 1, 2, 4 or 8 bytes
    if (kind == 15) {                              // cut the file short
        *size = rng() % n;
        return;
    }
    if (kind < 3) {  // flip a bit
        buf[pick_position(hot, nhot, n, 1)] ^= 1 << (rng() % 8);
    } else if (kind < 5) {  // a random byte
        buf[pick_position(hot, nhot, n, 1)] = rng();
    } else if (kind < 11) {  // an edge value in a field
        put(buf + pick_position(hot, nhot, n, width), interesting(n), width);
    } else if (kind < 13) {  // nudge a field
        uint64_t at = pick_position(hot, nhot, n, 8),
                 delta = rng() % 3 == 0 ? 0x1000 : 1 + rng() % 16;
        put(buf + at, le(buf + at, 8) + (rng() % 2 ? delta : -delta), 8);
    } else {  // copy one field over another
        uint64_t from = pick_position(hot, nhot, n, 8), to = pick_position(hot, nhot, n, 8);
        memmove(buf + to, buf + from, 8);
    }
}

// Refusal reasons seen, with numbers blanked ("segment # ..."), to show how
// much of elf_check the mutants reach.
static char reasons[64][128];
static int nreasons;

static void note_reason(const char *why) {
    char text[128];
    size_t n = 0;
    for (const char *p = why; *p && n < sizeof text - 1; p++)
        text[n++] = isdigit((unsigned char)*p) ? '#' : *p;
    text[n] = '\0';
    for (int i = 0; i < nreasons; i++)
        if (strcmp(reasons[i], text) == 0)
            return;
    if (nreasons < 64)
        strcpy(reasons[nreasons++], text);
}

static void save_failure(const uint8_t *data, uint64_t size) {
    FILE *f = fopen("build/elf-mutant-failed", "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
        printf("  saved as build/elf-mutant-failed\n");
    }
}

static int test_mutants(void) {
    CHECK(ngood >= 1);
    long accepted = 0, refused = 0;
    for (int k = 0; k < ngood; k++) {
        const uint8_t *f = good[k].data;
        uint64_t size = good[k].size;
        struct elf_image img;
        const char *why;
        CHECK(elf_check(f, size, &img, &why) == 0);
        struct hot hot[4];
        int nhot = 0;
        hot[nhot++] = (struct hot){0, 64 + 56 * le(f + 56, 2)};
        for (uint64_t i = 0; i < le(f + 56, 2); i++)
            if (le(f + le(f + 32, 8) + 56 * i, 4) == 2)  // PT_DYNAMIC
                hot[nhot++] = (struct hot){le(f + le(f + 32, 8) + 56 * i + 8, 8),
                                           le(f + le(f + 32, 8) + 56 * i + 32, 8)};
        if (img.rela_count > 0)
            hot[nhot++] = (struct hot){img.rela_offset, img.rela_count * 24};

        find_edges(&img, size);
        long count = MUTANTS / ngood + (k < MUTANTS % ngood);
        uint8_t *work = malloc(size);
        const char *broken = NULL;
        for (long m = 0; m < count && !broken; m++) {
            memcpy(work, f, size);
            uint64_t n = size;
            for (int times = 1 + rng() % 3; times > 0; times--)
                mutate(work, &n, hot, nhot);
            uint8_t *exact = malloc(n ? n : 1);  // exactly n bytes
            memcpy(exact, work, n);
            why = NULL;
            int result = elf_check(exact, n, &img, &why);
            if (result == 0) {
                accepted++;
                broken = elf_image_broken(exact, n, &img);
            } else {
                refused++;
                if (why == NULL || why[0] == '\0' || strlen(why) >= 128)
                    broken = "refused without a one-line reason";
                else
                    note_reason(why);
            }
            if (broken) {
                printf("  %s, mutant %ld: %s%s\n", good[k].name, m,
                       result == 0 ? "accepted, but " : "", broken);
                save_failure(exact, n);
            }
            free(exact);
        }
        free(work);
        CHECK(broken == NULL);
    }
    printf("  %ld mutants: %ld accepted (all consistent), %ld refused with %d different messages\n",
           accepted + refused, accepted, refused, nreasons);
    CHECK(accepted + refused == MUTANTS);
    CHECK(accepted > 0 && refused > 0);
    return 1;
}

int main(int argc, char **argv) {
    static const char *defaults[] = {"corpus/elf", "build/elf-seeds"};
    for (int i = 0; i < (argc > 1 ? argc - 1 : 2); i++)
        load_seeds(argc > 1 ? argv[i + 1] : defaults[i]);
    qsort(good, ngood, sizeof good[0], by_name);
    qsort(bad, nbad, sizeof bad[0], by_name);
    host_run("elf: good seeds accepted, matching their headers", test_good_seeds_accepted);
    host_run("elf: bad seeds refused, each for its reason", test_bad_seeds_refused);
    host_run("elf: every prefix of a good seed refused or consistent", test_every_prefix);
    host_run("elf: fields just inside and just past each limit", test_edges);
    host_run("elf: 200,000 mutants of the good seeds: no crash, acceptances consistent",
             test_mutants);
    for (int k = 0; k < ngood; k++)
        free(good[k].data);
    for (int k = 0; k < nbad; k++)
        free(bad[k].data);
    return host_summary();
}
