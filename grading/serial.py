"""Reading a serial log: bytes to lines, spotting garbage, showing lines safely.

Owns: how the grader turns what the kernel wrote on COM1 into lines of text,
and how it prints those lines back to a person. Relies on nothing else in
grading/.

The serial contract (docs/design.md) says COM1 carries `\\n`-terminated ASCII. A
broken kernel may send anything: a wrong baud divisor or a stray pointer
gives bytes above 0x7f or control characters. So the log is decoded as
Latin-1, where every byte is one character and decoding can never fail, and
any character outside printable ASCII is "non-printable".
"""

# A line counts as garbage when more than this share of it is non-printable.
# A quarter leaves room for a stray accent or escape in otherwise good text.
GARBAGE_RATIO = 0.25
# ...and when it has at least this many non-printable bytes, so that a lone
# stray byte (say a NUL as the UART starts) is shown, not called garbage.
GARBAGE_MIN_BYTES = 2

# Lines longer than this are cut when shown, to keep the report readable.
SHOW_MAX = 160


def decode(data):
    """The text of a log given as bytes (or already as str)."""
    if isinstance(data, str):
        return data
    return data.decode("latin-1")


def split_lines(text):
    """The log's lines, without their `\\n` or a trailing `\\r`.

    A last line without its `\\n` (the kernel stopped mid-line) is kept:
    it is often the most telling line of a crash.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with "\n": no unfinished last line
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def is_printable(char):
    """True for printable ASCII and tab, the only bytes the contract allows."""
    return char == "\t" or " " <= char <= "~"


def non_printable_count(line):
    """How many characters of line are outside printable ASCII."""
    return sum(1 for char in line if not is_printable(char))


def is_garbage(line):
    """True if line looks like noise rather than text a kernel meant to print."""
    bad = non_printable_count(line)
    return bad >= GARBAGE_MIN_BYTES and bad > GARBAGE_RATIO * len(line)


def first_garbage(lines):
    """(index, line) of the first garbage line, or None."""
    for index, line in enumerate(lines):
        if is_garbage(line):
            return index, line
    return None


def show(line):
    """line made safe to print: non-printables as \\xNN, long lines cut."""
    out = []
    for char in line:
        out.append(char if is_printable(char) else "\\x%02x" % ord(char))
    text = "".join(out)
    if len(text) > SHOW_MAX:
        text = text[:SHOW_MAX] + " ...(cut)"
    return text


def non_empty(lines):
    """The lines that hold more than whitespace, as (index, line) pairs."""
    return [(index, line) for index, line in enumerate(lines) if line.strip()]


def last_lines(lines, count=5):
    """The last count non-empty lines: what the kernel said before it stopped."""
    return [line for _, line in non_empty(lines)[-count:]]
