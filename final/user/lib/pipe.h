// pipe.h: taking part in a shell pipeline, `a | b | c` (final/; pipe.c).
//
// The shell joins neighbouring stages by channels and starts each stage
// with (docs/abi.md, "Pipelines"):
//
//   caps[0]  a console that can only write
//   caps[1]  the arguments, a read-only region (a NUL-terminated string)
//   then     the input end  (a channel endpoint with CAP_READ, not the first stage)
//   then     the output end (a channel endpoint with CAP_WRITE, not the last stage)
//
// A message on a pipeline channel is one buffer: words[0] = PIPE_DATA,
// words[1] = the number of bytes, caps[0] = a region (READ, WRITE, GRANT)
// holding them from its first byte. The region moves: no byte is copied,
// and a stage may change the bytes in place and send the same region on.
// The stream ends when the writer's end closes (the writer ended or dropped
// it); a reader sees E_CLOSED once it has taken every buffer queued.
//
// A program that is not in a pipeline uses the same calls: its input is
// its argument string and a newline (one buffer), its output the console.
//
// Every call here is continuation-style (docs/06-continuations.md): it
// says which function runs once the buffer is there or has gone. One
// pipe_next and one pipe_send may be outstanding at a time.
#pragma once
#include <stdbool.h>
#include "syscall.h"

#define PIPE_DATA     1            // words[0] of a buffer message
#define PIPE_BUF_SIZE (64 * 1024)  // the size of the buffers gen and pipe_write make

struct pipe_buf {
    uint64_t region;  // its region capability (0: none)
    char *data;       // the region's first byte
    uint64_t len;     // bytes of data
    uint64_t size;    // the region's length: room for at most this many
};

// The buffer the last pipe_next delivered: the program's until it sends
// it on or frees it, or calls pipe_next again (which frees a kept one).
extern struct pipe_buf pipe_in;

// From main: find the ends among the initial capabilities.
void pipe_init(int ncaps, const uint64_t *caps);
bool pipe_reads_channel(void);   // is there an input end?
bool pipe_writes_channel(void);  // is there an output end?
const char *pipe_args(void);     // the argument string ("" if none)

// Run fn(arg, 1) once the next input buffer is in pipe_in, or fn(arg, 0)
// at the end of the input. A malformed message ends the program (E_INVAL).
long pipe_next(cont_fn fn, long arg);

// A fresh zeroed buffer of at least `size` bytes in *b (len 0): 0, or an
// error (E_NOMEM ...).
long pipe_alloc(struct pipe_buf *b, uint64_t size);
// Give b's region back.
void pipe_free(struct pipe_buf *b);

// Send b's len bytes on: the region moves to the next stage, or the bytes
// go to the console and the region is freed. *b is emptied at once; then
// then(arg, 0) runs once the buffer has gone (a full channel queue is
// retried every tick). When the next stage has ended (its end closed)
// there is nobody to write for: the program ends with 0.
long pipe_send(struct pipe_buf *b, cont_fn then, long arg);

// Copy len bytes into a fresh buffer and pipe_send it.
long pipe_write(const void *bytes, uint64_t len, cont_fn then, long arg);
