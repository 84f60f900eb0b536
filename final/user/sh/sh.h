// sh.h: what the shell's files share. main.c reads and edits lines and runs
// the built-ins and single programs; pipeline.c runs `a | b | c`.
#pragma once
#include <stdbool.h>
#include <stdint.h>

extern uint64_t console;  // the shell's console: READ, WRITE, GRANT

// main.c
void prompt(void);
long got_input(long arg, long value);  // the continuation that reads the console
bool is_program(const char *name);
int split(char *s, char **words, int max);

// pipeline.c
#define PIPE_STAGES 8  // at most this many stages in one pipeline
// Run a line holding a `|`: true when the shell should prompt at once
// (an error, or nothing started), false when it waits for the stages.
bool run_pipeline(char *text);
void pipeline_help(void);
