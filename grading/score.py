"""Scoring: from one boot's saved log to a pass or fail per test.

Owns: BootOutcome (what running a boot produced), the general health of a
boot (hang, triple fault, panic, garbage...), and TestResult. Relies on
serial.py and ktap.py to read the log and on checks.py for each test's own
checks. Nothing here runs QEMU, so all of it is tested on recorded logs.

How a test is decided:
  - a *fatal* boot problem (the build or QEMU failed, or the kernel printed
    nothing) fails every test on that boot, with that problem as the reason;
  - otherwise the test passes exactly when all its checks hold. A test whose
    check fails shows the boot's first problem as the reason, if it has one
    (a hang, a panic...), because that is what the student must fix first.
So a kernel that passes the kprintf suite and then hangs in the timer suite
keeps the kprintf points and loses the timer ones, with "hang" as the reason.
"""

import re

import checks
import ktap
import serial

PANIC_RE = re.compile(r"^panic: ")

# How many build or QEMU output lines to show when those fail.
TAIL_LINES = 15


class BootOutcome:
    """What running one boot produced; everything scoring needs to know.

    log_text     the serial log (str, or bytes decoded as Latin-1)
    exit_status  QEMU's exit status, None if it was killed or never ran
    wall         seconds from starting QEMU to its end
    timed_out    True if the grader killed QEMU at its timeout
    timeout      that timeout, in seconds (after scaling)
    error        why the boot could not run at all (build failed, no QEMU)
    error_output lines explaining error (the tail of the build output...)
    stderr       what QEMU printed on stderr
    log_path     where the serial log is saved, for the report
    """

    def __init__(self, log_text="", exit_status=None, wall=0.0, timed_out=False,
                 timeout=None, error=None, error_output=(), stderr="", log_path=None):
        self.log_text = serial.decode(log_text)
        self.exit_status = exit_status
        self.wall = wall
        self.timed_out = timed_out
        self.timeout = timeout
        self.error = error
        self.error_output = list(error_output)
        self.stderr = stderr
        self.log_path = log_path

    @property
    def powered_off(self):
        """True if the kernel itself ended the run through the exit port."""
        return not self.timed_out and self.exit_status in (33, 35)

    @property
    def ran(self):
        return self.error is None


class Problem:
    """Something wrong with a whole boot: a reason, and lines that show it."""

    def __init__(self, reason, fatal=False, lines=(), cuts_ktap=False, is_cut_ktap=False):
        self.reason = reason
        self.fatal = fatal
        self.lines = list(lines)
        # A crash or a hang cuts the KTAP stream short: when one is found,
        # "truncated KTAP" would only say the same thing again.
        self.cuts_ktap = cuts_ktap
        self.is_cut_ktap = is_cut_ktap


class BootLog:
    """One boot's outcome, read once: its lines, its KTAP, its problems."""

    def __init__(self, outcome, boot, suites=None):
        self.outcome = outcome
        self.boot = boot
        # The suites this boot asked for when its run also served other
        # boots' suites (grade.py merges test boots): "everything passed"
        # then means these suites passed. None: the whole run is its own.
        self.suites = suites
        self.lines = serial.split_lines(outcome.log_text)
        self.ktap = ktap.parse(self.lines)
        self.problems = find_problems(self)

    @property
    def fatal(self):
        """The fatal problem, if any (it is always the first one)."""
        if self.problems and self.problems[0].fatal:
            return self.problems[0]
        return None

    def panic_line(self):
        """(index, line) of the first `panic: ` line, or None."""
        for index, line in enumerate(self.lines):
            if PANIC_RE.match(line):
                return index, line
        return None


class TestResult:
    """The verdict on one test, with what a person needs to act on it."""

    def __init__(self, test, snapshot, passed, details, wall=None, log_path=None):
        self.name = test.name
        self.spec_lab = test.spec_lab
        self.snapshot = snapshot
        self.points = test.points
        self.passed = passed
        self.score = test.points if passed else 0
        self.details = details    # [(label, [lines])], shown when it fails
        self.wall = wall
        self.log_path = log_path

    @property
    def reason(self):
        """The first line of the failure: what went wrong, in one line."""
        for label, lines in self.details:
            if label in ("reason", "seen") and lines:
                return lines[0]
        return "failed" if not self.passed else ""


# --- The general checks every boot gets -------------------------------------

def find_problems(log):
    """Every problem of the boot, most fundamental first (fatal ones lead)."""
    found = []
    for finder in PROBLEM_FINDERS:
        problem = finder(log)
        if problem is not None:
            found.append(problem)
            if problem.fatal:
                return found  # nothing more can be said about a boot that did not run
    if any(problem.cuts_ktap for problem in found):
        found = [problem for problem in found if not problem.is_cut_ktap]
    return found


def _run_error(log):
    outcome = log.outcome
    if outcome.error is not None:
        tail = outcome.error_output[-TAIL_LINES:]
        return Problem(outcome.error, fatal=True, lines=[serial.show(l) for l in tail])
    return None


def _qemu_error(log):
    """QEMU itself failed (bad option, missing file): it printed why on stderr."""
    outcome = log.outcome
    status = outcome.exit_status
    if outcome.timed_out or status in (None, 0, 33, 35):
        return None
    stderr = serial.split_lines(outcome.stderr.strip())
    if status % 2 == 1 and not stderr:
        return None  # the kernel wrote some other value to the exit port
    return Problem("QEMU error (exit status %d)" % status, fatal=True,
                   lines=[serial.show(l) for l in stderr[-TAIL_LINES:]])


# Under a boot stopped at its timeout: the one setting that gives more time.
SLOW_HINT = ("(a passing boot powers itself off; if this machine is only slow or busy, "
             "give boots more time: BATON_TIMEOUT_SCALE=3 make grade ...)")
LAST_LINE_WIDTH = 100


def _nothing_printed(log):
    if serial.non_empty(log.lines):
        return None
    reason = "kernel printed nothing on the serial port"
    lines = []
    if log.outcome.timed_out:
        reason += " (and did not power off within %gs)" % log.outcome.timeout
        lines = [SLOW_HINT]
    elif log.outcome.exit_status == 0:
        reason += " (then QEMU reset: a triple fault?)"
    return Problem(reason, fatal=True, lines=lines)


def _panic(log):
    if log.boot is not None and log.boot.expect_panic:
        return None
    found = log.panic_line()
    if found is None:
        return None
    return Problem(serial.show(found[1]), cuts_ktap=True)


def _hang(log):
    if not log.outcome.timed_out:
        return None
    reason = "hang: no power-off within %gs" % log.outcome.timeout
    last = serial.last_lines(log.lines, 1)
    if last:
        shown = serial.show(last[0].strip())
        if len(shown) > LAST_LINE_WIDTH:
            shown = shown[:LAST_LINE_WIDTH - 3] + "..."
        reason += "; last line: %s" % shown
    return Problem(reason, lines=_log_end(log) + [SLOW_HINT], cuts_ktap=True)


def _triple_fault(log):
    if log.outcome.timed_out or log.outcome.exit_status != 0:
        return None
    return Problem("triple fault or reboot (QEMU exited 0)", lines=_log_end(log),
                   cuts_ktap=True)


def _log_end(log):
    """The last lines the kernel printed: where it was when it stopped."""
    return [serial.show(line) for line in serial.last_lines(log.lines)]


def _odd_exit(log):
    """The kernel powered off, but with a value the contract does not use."""
    status = log.outcome.exit_status
    if log.outcome.timed_out or status in (None, 0, 33, 35) or status % 2 == 0:
        return None
    return Problem("the kernel powered off with 0x%02x (QEMU exit %d); the contract "
                   "uses 0x10 (passed) and 0x11 (failed)" % (status >> 1, status))


def _garbage(log):
    found = serial.first_garbage(log.lines)
    if found is None:
        return None
    index, line = found
    return Problem("garbage on the serial port at line %d: %s"
                   % (index + 1, serial.show(line)))


def _truncated_ktap(log):
    cut = log.ktap.truncation()
    if not cut:
        return None
    return Problem("truncated KTAP: %s" % cut[0], is_cut_ktap=True)


def _unexplained_exit(log):
    """expect_exit differs, and no failure or panic in the log explains it."""
    expected = log.boot.expect_exit if log.boot is not None else None
    status = log.outcome.exit_status
    if expected is None or status is None or status == expected or status == 0:
        return None
    if status == 35 and (log.panic_line() or _any_ktap_failure(log.ktap)):
        return None  # the failing test or the panic is the real reason
    return Problem("QEMU exit status %s, expected %d"
                   % (checks.describe_exit(log.outcome), expected))


def _any_ktap_failure(stream):
    return any(not block.passed for block in stream.suites)


PROBLEM_FINDERS = [_run_error, _qemu_error, _nothing_printed, _panic, _hang,
                   _triple_fault, _odd_exit, _garbage, _truncated_ktap,
                   _unexplained_exit]


# --- Scoring a test -----------------------------------------------------------

def score_test(test, log, snapshot, scale=1.0):
    """The TestResult of test (a spec.TestSpec) on a BootLog."""
    outcome = log.outcome
    wall = outcome.wall if outcome.ran else None
    if log.fatal is not None:
        details = [("reason", [log.fatal.reason])]
        if log.fatal.lines:
            details.append(("output", log.fatal.lines))
        return _result(test, snapshot, False, details, wall, outcome.log_path)
    failures = checks.run_checks(test.checks, log, scale)
    if not failures:
        return _result(test, snapshot, True, [], wall, outcome.log_path)
    details = []
    if log.problems:
        first = log.problems[0]
        details.append(("reason", [first.reason]))
        also = [p.reason for p in log.problems[1:]]
        if also:
            details.append(("also", also))
        if first.lines and not any(failure.shows_end for failure in failures):
            details.append(("log end", first.lines))
    for failure in failures:
        details.append(("expected", [failure.expected]))
        details.append(("seen", failure.seen or ["(nothing)"]))
    return _result(test, snapshot, False, details, wall, outcome.log_path)


def _result(test, snapshot, passed, details, wall, log_path):
    if not passed:
        if log_path:
            details.append(("log", [log_path]))
        if test.hint:
            details.append(("hint", [test.hint]))
    return TestResult(test, snapshot, passed, details, wall, log_path)
