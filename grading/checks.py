"""The checks a test can make on one boot's log, one function per check.

Owns: what each spec check key (`line`, `ktap_suite`, `mem_kib`...) means,
and what a failure says: the expected thing and what was seen instead.
Relies on a score.BootLog (lines, KTAP tree, outcome) and on memlayout.py.
To add a kind of check: write a function here, add it to CHECKS, and teach
spec.py to validate its value.

Every check returns None when it holds, or a Failure.
"""

import difflib
import re

import memlayout
import serial

MEM_RE = re.compile(r"^mem: (\d+) KiB usable\s*$")
# How alike a line must be to an expected one to be shown as "the closest".
CLOSE_ENOUGH = 0.6
CONTEXT = 5  # lines of log to show around a spot
CLOSEST_SEARCH = 20000  # lines searched for "the closest"; a flood is not worth more


class Failure:
    """A check that did not hold: what was expected, what was seen (lines).

    shows_end is True when seen already holds the end of the log, so the
    report need not show it again.
    """

    def __init__(self, expected, seen, shows_end=False):
        self.expected = expected
        self.seen = list(seen)
        self.shows_end = shows_end


def run_checks(test_checks, log, scale):
    """The Failures of a test's checks ({key: value} from the spec), in order."""
    failures = []
    for key, value in test_checks.items():
        failure = CHECKS[key](value, log, scale)
        if failure is not None:
            failures.append(failure)
    return failures


# --- Showing parts of the log --------------------------------------------------

def numbered(lines, index):
    """`line 12: text`, for a line of the log at index (0-based)."""
    return "line %d: %s" % (index + 1, serial.show(lines[index]))


def last_lines(log, count=CONTEXT):
    """The last lines of the log, introduced, for "what happened at the end"."""
    tail = serial.last_lines(log.lines, count)
    if not tail:
        return ["(the log is empty)"]
    return ["the log ends with:"] + ["  " + serial.show(line) for line in tail]


def as_text(pattern):
    """A rough literal version of a regex, to find lines that look like it."""
    text = re.sub(r"\\([dDsSwW])[+*]?", "", pattern)   # \d+ and friends
    text = re.sub(r"\.[*+?]", "", text)                   # .* .+ .?
    text = re.sub(r"\\(.)", r"\1", text)                  # \( -> (
    return text.strip("^$")


def closest(lines, pattern):
    """(index, line) of the line most like pattern, or None if none is close."""
    wanted = as_text(pattern)
    best, best_ratio = None, CLOSE_ENOUGH
    for index, line in enumerate(lines[:CLOSEST_SEARCH]):
        matcher = difflib.SequenceMatcher(None, wanted, line)
        # The quick upper bounds skip most lines without the slow comparison.
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = (index, line), ratio
    return best


def around(lines, index, before=1, after=1):
    """The lines around index, numbered, the one at index marked with '>'."""
    shown = []
    for i in range(max(0, index - before), min(len(lines), index + after + 1)):
        shown.append(("> " if i == index else "  ") + numbered(lines, i))
    return shown


# --- Lines -------------------------------------------------------------------

def _patterns(value):
    return value if isinstance(value, list) else [value]


def check_line(value, log, scale):
    """Each regex must match (re.search) some line of the log."""
    for pattern in _patterns(value):
        if any(re.search(pattern, line) for line in log.lines):
            continue
        expected = "a line matching %s" % pattern
        near = closest(log.lines, pattern)
        if near is None:
            return Failure(expected, ["no such line;"] + last_lines(log), shows_end=True)
        return Failure(expected, ["no such line; the closest is:"] + around(log.lines, near[0]))
    return None


def check_first_line(pattern, log, scale):
    """The first non-empty line must match."""
    lines = serial.non_empty(log.lines)
    if not lines:
        return Failure("a first line matching %s" % pattern, ["(the log is empty)"])
    index, line = lines[0]
    if re.search(pattern, line):
        return None
    return Failure("a first line matching %s" % pattern, around(log.lines, index, 0, 2))


def check_no_line(value, log, scale):
    """No line may match; only provable on a log the kernel finished."""
    for pattern in _patterns(value):
        for index, line in enumerate(log.lines):
            if re.search(pattern, line):
                return Failure("no line matching %s" % pattern, around(log.lines, index))
    if not log.outcome.powered_off:
        return Failure("no line matching %s, in a log that ends with a power-off"
                       % " or ".join(_patterns(value)),
                       ["the kernel did not power off, so the rest of its output is unknown"])
    return None


# --- Exit status and time ----------------------------------------------------------

EXIT_MEANINGS = {
    33: "the kernel wrote 0x10 to the exit port: everything passed",
    35: "the kernel wrote 0x11 to the exit port: a failure or a panic",
    0: "QEMU stopped by itself: a triple fault or a reboot",
}


def describe_exit(outcome):
    """A person's reading of how QEMU ended, e.g. `35 (... a failure or a panic)`."""
    if outcome.timed_out:
        return "none: killed after %gs without powering off" % outcome.timeout
    if outcome.exit_status is None:
        return "none: QEMU did not run"
    meaning = EXIT_MEANINGS.get(outcome.exit_status)
    if meaning is None and outcome.exit_status % 2 == 1:
        meaning = "the kernel wrote 0x%02x to the exit port" % (outcome.exit_status >> 1)
    return "%d (%s)" % (outcome.exit_status, meaning or "a QEMU error")


def check_exit(expected, log, scale):
    """QEMU must have ended with this status (33 passed, 35 failed).

    In a run shared with other boots' suites, 33 ("all passed") is asked of
    this boot's own suites: another lab's failing suite is not its fault.
    """
    if not log.outcome.timed_out and log.outcome.exit_status == expected:
        return None
    if expected == 33 and log.suites and log.outcome.powered_off \
            and not own_suite_failures(log):
        return None
    meaning = EXIT_MEANINGS.get(expected, "")
    return Failure("QEMU exit status %d%s" % (expected, " (%s)" % meaning if meaning else ""),
                   ["exit status " + describe_exit(log.outcome)])


# --- Memory ------------------------------------------------------------------

def expected_kib(value, log):
    """The usable KiB a mem_kib check expects, from the spec or the boot's RAM."""
    if "expect_kib" in value:
        return value["expect_kib"]
    return memlayout.usable_kib(log.boot.memory_kib)


def check_mem_kib(value, log, scale):
    """The `mem: <N> KiB usable` line must be within tolerance."""
    expected = expected_kib(value, log)
    tolerance = value.get("tolerance_pct", 1)
    low, high = memlayout.bounds(expected, tolerance)
    wanted = "mem: %d KiB usable (within %g%%: %d..%d)" % (expected, tolerance, low, high)
    if "expect" in value:
        wanted += " for %s of RAM" % log.boot.memory
    for index, line in enumerate(log.lines):
        match = MEM_RE.match(line)
        if match:
            if memlayout.within(int(match.group(1)), expected, tolerance):
                return None
            return Failure(wanted, [numbered(log.lines, index)])
    near = [i for i, line in enumerate(log.lines) if line.startswith("mem")]
    seen = ["no 'mem: <N> KiB usable' line"]
    if near:
        seen += ["  " + numbered(log.lines, i) for i in near[:3]]
    return Failure(wanted, seen)


# --- KTAP ----------------------------------------------------------------------

def no_ktap(log):
    return ["no KTAP output (no 'KTAP version 1' line)"] + last_lines(log)


def find_suite(name, log, expected):
    """(block, None) for a suite, or (None, a Failure saying why it is missing)."""
    stream = log.ktap
    if not stream.found:
        return None, Failure(expected, no_ktap(log), shows_end=True)
    block = stream.suite(name)
    if block is None:
        names = ", ".join(b.name or "?" for b in stream.suites) or "none"
        return None, Failure(expected, ["no suite '%s' in the KTAP output (suites seen: %s)"
                                        % (name, names)])
    return block, None


def unfinished(block, log, expected):
    """The Failure of a suite that never printed its result line."""
    seen = ["suite '%s' never finished; its last lines:" % block.name]
    start = block.start_line
    tail = [i for i in range(start, len(log.lines)) if log.lines[i].strip()][-CONTEXT:]
    return Failure(expected, seen + ["  " + serial.show(log.lines[i]) for i in tail],
                   shows_end=True)


def failed_case_lines(result):
    """A failed case's line, then its `#` diagnostics (printed just before it)."""
    lines = [serial.show(result.text)]
    lines += ["    " + serial.show(text) for _, text in result.diagnostics]
    return lines


def suite_failure_lines(block):
    """Why a finished suite did not pass: failed cases, or its own result."""
    seen = []
    for result in block.failures():
        seen += failed_case_lines(result)
    if block.plan is not None and len(block.results) != block.plan:
        seen.append("plan says 1..%d but %d results" % (block.plan, len(block.results)))
    if block.closing.skipped:
        seen.append("the suite was skipped: %s" % serial.show(block.closing.text))
    if not seen:
        seen = failed_case_lines(block.closing)
    return seen


def check_ktap_suite(name, log, scale):
    """The suite must be there, finished, `ok`, with no failed case."""
    expected = "KTAP suite '%s' ok" % name
    block, missing = find_suite(name, log, expected)
    if block is None:
        return missing
    if not block.closed:
        return unfinished(block, log, expected)
    complete = block.plan is None or len(block.results) == block.plan
    if block.passed and complete:
        return None
    return Failure(expected, suite_failure_lines(block))


def check_ktap_case(value, log, scale):
    """One case of one suite must be `ok` (a skipped case proves nothing)."""
    suite_name, case_name = value
    expected = "KTAP case '%s' of suite '%s' ok" % (case_name, suite_name)
    block, missing = find_suite(suite_name, log, expected)
    if block is None:
        return missing
    result = block.case(case_name)
    if result is None:
        if not block.closed:
            return unfinished(block, log, expected)
        names = ", ".join(r.name for r in block.results) or "none"
        return Failure(expected, ["no case '%s' in suite '%s' (cases: %s)"
                                  % (case_name, suite_name, names)])
    if result.ok and not result.skipped:
        return None
    return Failure(expected, failed_case_lines(result))


def own_suite_failures(log):
    """[Failure] for each of the boot's own suites (log.suites) not ok."""
    return [failure for failure in (check_ktap_suite(name, log, None) for name in log.suites)
            if failure is not None]


def check_ktap_all(value, log, scale):
    """The whole KTAP stream is complete, well formed, and every suite passed
    (in a run shared with other boots: every suite this boot asked for)."""
    expected = "complete, well-formed KTAP with every suite ok"
    stream = log.ktap
    if not stream.found:
        return Failure(expected, no_ktap(log), shows_end=True)
    if log.suites:
        failures = own_suite_failures(log)
        if not failures:
            return None
        return Failure("every one of the suites %s ok" % ", ".join(log.suites),
                       [line for failure in failures for line in [failure.expected + ":"]
                        + ["  " + seen for seen in failure.seen]])
    if stream.all_passed:
        return None
    seen = [str(problem) for problem in stream.problems[:CONTEXT]]
    if stream.root.plan is None:
        seen.append("no plan (1..N line) for the test run")
    for block in stream.suites:
        if block.closed and not block.passed:
            seen += suite_failure_lines(block)
    return Failure(expected, seen or ["(no suites)"])


CHECKS = {
    "ktap_suite": check_ktap_suite,
    "ktap_case": check_ktap_case,
    "ktap_all": check_ktap_all,
    "line": check_line,
    "first_line": check_first_line,
    "no_line": check_no_line,
    "exit": check_exit,
    "mem_kib": check_mem_kib,
}
