"""A forgiving parser for the KTAP test output the kernel prints in test mode.

Owns: turning serial lines into a tree of KTAP results, and listing what is
wrong with that tree (truncated, malformed). Relies on nothing else in
grading/; the scoring code asks it questions ("did suite 'timer' pass?").

KTAP version 1 is the format of Linux's KUnit. The kernel prints one block
for the whole run and one indented subtest block per suite:

    KTAP version 1              the stream starts here; lines before it are
    1..2                        ordinary kernel output and are skipped
        KTAP version 1
        # Subtest: kprintf      a suite: its lines are indented 4 more
        1..3                    its plan: it will report 3 cases
        ok 1 decimal
        # test_kprintf.c:42: expected "ff", got "0"
        not ok 2 hex            a diagnostic is printed when the assertion
        ok 3 big # SKIP no fpu  fails, so it comes BEFORE its `not ok` line
    not ok 1 kprintf            the suite's own result closes its block
    ...

The parser never raises on bad input: a kernel that crashes mid-test leaves
a cut-off stream, and the grader must say so, not crash. Whatever does not
fit is recorded in Stream.problems, each with the log line it was found at.
"""

import re

VERSION_LINES = ("KTAP version 1", "TAP version 14", "TAP version 13")
SUBTEST_PREFIX = "# Subtest:"

PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
# `ok 3 name`, `not ok 2 name # SKIP why`; the number is mandatory.
RESULT_RE = re.compile(r"^(ok|not ok)\s+(\d+)(?:\s+(?:-\s+)?(.*))?$")
DIRECTIVE_RE = re.compile(r"^(SKIP|TODO)\b\s*(.*)$", re.IGNORECASE)

TRUNCATED = "truncated"  # the stream stops before it says it would
MALFORMED = "malformed"  # the stream is complete but does not follow KTAP


class Problem:
    """One thing wrong with the stream, found at log line line_no (0-based)."""

    def __init__(self, kind, line_no, message):
        self.kind = kind
        self.line_no = line_no
        self.message = message

    def __str__(self):
        if self.line_no is None:
            return self.message
        return "line %d: %s" % (self.line_no + 1, self.message)


class Result:
    """One `ok` / `not ok` line: a test case, or a suite's own result."""

    def __init__(self, ok, number, name, directive, reason, line_no, text):
        self.ok = ok
        self.number = number
        self.name = name
        self.directive = directive  # "SKIP", "TODO" or None
        self.reason = reason        # the text after the directive
        self.line_no = line_no
        self.text = text            # the line as printed, indentation removed
        self.diagnostics = []       # (line_no, text) of the `#` lines before it
        self.subtest = None         # the Block this result closes, if any

    @property
    def skipped(self):
        return self.directive == "SKIP"

    @property
    def failed(self):
        """True for a real failure: `not ok` that is neither SKIP nor TODO.

        A TODO case is a known, expected failure (KTAP's meaning of TODO).
        """
        return not self.ok and self.directive is None


class Block:
    """One test plan: the whole run (the root) or one suite or subtest."""

    def __init__(self, indent, start_line, name=None):
        self.indent = indent
        self.start_line = start_line
        self.name = name
        self.plan = None          # N from `1..N`
        self.results = []         # the Result lines at this block's indent
        self.children = []        # subtest Blocks, in the order they began
        self.closing = None       # the parent's Result that ends this block
        self.pending = []         # `#` lines not yet claimed by a result

    @property
    def closed(self):
        return self.closing is not None

    def failures(self):
        """The results in this block that failed (SKIP and TODO do not)."""
        return [result for result in self.results if result.failed]

    def case(self, name):
        """The first result named name, or None."""
        for result in self.results:
            if result.name == name:
                return result
        return None

    @property
    def passed(self):
        """Closed with a plain `ok`, and no case in it failed."""
        return (self.closed and self.closing.ok and not self.closing.skipped
                and not self.failures())


class Stream:
    """What the parser found: the root block, its suites and any problems."""

    def __init__(self):
        self.found = False      # was there a `KTAP version 1` line at all?
        self.start_line = None
        self.root = None
        self.problems = []

    @property
    def suites(self):
        """The top-level subtests (the kernel's suites), in order."""
        return self.root.children if self.root else []

    def suite(self, name):
        """The first suite named name, or None."""
        for block in self.suites:
            if block.name == name:
                return block
        return None

    def truncation(self):
        """The problems that mean the stream was cut off."""
        return [p for p in self.problems if p.kind == TRUNCATED]

    @property
    def complete(self):
        """Found, with a plan, and nothing wrong with it."""
        return self.found and self.root.plan is not None and not self.problems

    @property
    def all_passed(self):
        return self.complete and all(block.passed for block in self.suites)


def parse_result(text, line_no):
    """A Result for a result line (indentation removed), or None."""
    match = RESULT_RE.match(text)
    if not match:
        return None
    rest = match.group(3) or ""
    name, _, comment = rest.partition("#")
    directive, reason = None, ""
    directive_match = DIRECTIVE_RE.match(comment.strip())
    if directive_match:
        directive = directive_match.group(1).upper()
        reason = directive_match.group(2).strip()
    return Result(match.group(1) == "ok", int(match.group(2)), name.strip(),
                  directive, reason, line_no, text)


def indentation(line):
    """How many spaces line starts with."""
    return len(line) - len(line.lstrip(" "))


def find_start(lines):
    """Index of the first version line, or None if the log has no KTAP."""
    for index, line in enumerate(lines):
        if line.strip() in VERSION_LINES:
            return index
    return None


class _Parser:
    """The state of one parse: a stack of the blocks still open."""

    def __init__(self, stream, root):
        self.stream = stream
        self.stack = [root]

    def problem(self, kind, line_no, message):
        self.stream.problems.append(Problem(kind, line_no, message))

    @property
    def top(self):
        return self.stack[-1]

    def open_block(self, indent, line_no, name=None):
        """Start a subtest of the innermost open block."""
        block = Block(indent, line_no, name)
        self.top.children.append(block)
        self.stack.append(block)
        return block

    def block_at(self, indent):
        """The innermost open block whose indentation is at most indent."""
        for block in reversed(self.stack):
            if block.indent <= indent:
                return block
        return self.stack[0]

    def feed(self, line_no, line):
        text = line.strip()
        if not text:
            return
        indent = indentation(line)
        if text in VERSION_LINES:
            self.on_version(indent, line_no)
        elif text.startswith(SUBTEST_PREFIX):
            self.on_subtest(indent, line_no, text[len(SUBTEST_PREFIX):].strip())
        elif PLAN_RE.match(text):
            self.on_plan(indent, line_no, int(PLAN_RE.match(text).group(1)))
        elif RESULT_RE.match(text):
            self.on_result(indent, parse_result(text, line_no))
        elif text.startswith("#"):
            self.block_at(indent).pending.append((line_no, text))
        # Any other line is ordinary kernel output printed during the run.

    def on_version(self, indent, line_no):
        if indent > self.top.indent:
            self.open_block(indent, line_no)
        elif indent == self.top.indent and self.top.plan is None and not self.top.results:
            pass  # a repeated version line before anything else: harmless
        else:
            self.problem(MALFORMED, line_no, "KTAP output starts again "
                         "(did the kernel restart?)")

    def on_subtest(self, indent, line_no, name):
        top = self.top
        fresh = top is not self.stack[0] and top.name is None and not top.results
        if indent == top.indent and fresh:
            top.name = name  # `# Subtest:` right after the block's version line
        elif indent > top.indent:
            self.open_block(indent, line_no, name)  # KUnit may omit the version
        else:
            self.block_at(indent).pending.append((line_no, SUBTEST_PREFIX + " " + name))

    def on_plan(self, indent, line_no, count):
        if indent > self.top.indent:
            self.open_block(indent, line_no)
        block = self.top
        if block.indent != indent:
            self.problem(MALFORMED, line_no, "plan 1..%d at an unexpected indentation" % count)
        elif block.plan is not None:
            self.problem(MALFORMED, line_no, "a second plan 1..%d" % count)
        else:
            block.plan = count

    def on_result(self, indent, result):
        child = self.close_deeper(indent, result.line_no)
        if indent > self.top.indent:
            # A result deeper than any open block: a subtest with no header.
            self.open_block(indent, result.line_no)
        block = self.top
        if block.indent != indent:
            self.problem(MALFORMED, result.line_no, "result at an unexpected indentation")
        result.diagnostics = block.pending
        block.pending = []
        expected = len(block.results) + 1
        if result.number != expected:
            self.problem(MALFORMED, result.line_no,
                         "test number %d, expected %d" % (result.number, expected))
        if child is not None:
            self.attach(child, result)
        elif block is self.stack[0]:
            # A suite that printed only its result line: give it a block
            # anyway, so every suite is looked up the same way.
            flat = Block(indent + 4, result.line_no, result.name)
            flat.plan = 0
            block.children.append(flat)
            self.attach(flat, result)
        block.results.append(result)

    def close_deeper(self, indent, line_no):
        """Pop the blocks deeper than indent; return the one a result closes.

        A result at indent closes the open block just below it. Blocks deeper
        still were never closed: the kernel stopped or skipped their results.
        """
        popped = []
        while len(self.stack) > 1 and self.top.indent > indent:
            popped.append(self.stack.pop())
        if not popped:
            return None
        for block in popped[:-1]:
            self.never_finished(block, line_no)
        return popped[-1]

    def attach(self, block, result):
        """result is block's closing line: link them and check the block."""
        block.closing = result
        result.subtest = block
        if block.name is None:
            block.name = result.name
        elif block.name != result.name:
            self.problem(MALFORMED, result.line_no, "subtest '%s' ends with a result "
                         "named '%s'" % (block.name, result.name))
        self.check_plan(block, result.line_no)
        if result.ok and not result.skipped and block.failures():
            self.problem(MALFORMED, result.line_no, "subtest '%s' says ok but case "
                         "'%s' failed" % (block.name, block.failures()[0].name))

    def check_plan(self, block, line_no):
        """Compare a finished block's results with its plan."""
        label = "subtest '%s'" % block.name if block.name else "the test run"
        count = len(block.results)
        if block.plan is None:
            self.problem(MALFORMED, line_no, "%s has no plan (1..N line)" % label)
        elif count < block.plan:
            self.problem(TRUNCATED, line_no, "%s: plan says 1..%d but only %d result%s"
                         % (label, block.plan, count, "" if count == 1 else "s"))
        elif count > block.plan:
            self.problem(MALFORMED, line_no, "%s: plan says 1..%d but %d results"
                         % (label, block.plan, count))

    def never_finished(self, block, line_no):
        label = "suite '%s'" % block.name if block.name else "a subtest"
        self.problem(TRUNCATED, line_no, "%s never finished (no result line)" % label)

    def finish(self, last_line_no):
        """End of the log: whatever is still open was cut off."""
        while len(self.stack) > 1:
            self.never_finished(self.stack.pop(), last_line_no)
        self.check_plan(self.stack[0], last_line_no)


def parse(lines):
    """Parse a log's lines (as from serial.split_lines); always returns a Stream."""
    stream = Stream()
    start = find_start(lines)
    if start is None:
        return stream
    stream.found = True
    stream.start_line = start
    stream.root = Block(indentation(lines[start]), start)
    parser = _Parser(stream, stream.root)
    for line_no in range(start + 1, len(lines)):
        parser.feed(line_no, lines[line_no])
    parser.finish(max(len(lines) - 1, start))
    return stream
