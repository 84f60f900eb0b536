"""Reports: the text a person reads, Gradescope JSON, JUnit XML.

Owns: how TestResults are shown. Relies only on the TestResult fields
(name, snapshot, spec_lab, points, passed, score, details, wall).

The text report is one line per test, with what to act on under a failure:

    == 01-boot (snapshot 01-boot) ==
      kprintf: formatting ... FAIL (1.3s)
          expected: KTAP suite 'kprintf' ok
          seen:     not ok 2 hex
                        # kernel/test_kprintf.c:42: expected "ff", got "0"
          log:      labs/01-boot/build/grade/ktest.log
    Score: 45/50

and, after every lab, the plain line `N passed, M failed`. When an
earlier lab's tests fail on this lab's kernel, their group comes first,
headed as a regression.
"""

import json
import xml.etree.ElementTree as ElementTree

LABEL_WIDTH = 10   # "expected: " - the labels line up
INDENT = "      "

GREEN, RED, BOLD, RESET = "\033[32m", "\033[31m", "\033[1m", "\033[0m"


class Painter:
    """Adds colour when the output is a terminal; plain text otherwise."""

    def __init__(self, enabled):
        self.enabled = enabled

    def paint(self, text, colour):
        return colour + text + RESET if self.enabled else text


def points(value):
    """45 for 45.0, 2.5 for 2.5: points as a person writes them."""
    return "%g" % value


def timing(result):
    return " (%.1fs)" % result.wall if result.wall is not None else ""


# --- Text ----------------------------------------------------------------------

def lab_header(snapshot):
    return "== %s (snapshot %s) ==" % (snapshot, snapshot)


def test_lines(result, painter, shown=None):
    """The report lines of one test: its verdict, then details if it failed.

    shown, if given, remembers long evidence already printed for the same
    log, so that ten tests failing for one crash do not repeat its lines.
    """
    verdict = painter.paint("OK", GREEN) if result.passed else painter.paint("FAIL", RED)
    lines = ["  %s ... %s%s" % (result.name, verdict, timing(result))]
    if not result.passed:
        details = result.details if shown is None else shorten(result, shown)
        lines += detail_lines(details, INDENT)
    return lines


def shorten(result, shown):
    """result.details with evidence printed before for the same log elided."""
    details = []
    for label, values in result.details:
        key = (result.log_path, label, tuple(values))
        if label in ("seen", "output", "log end") and len(values) > 1 and key in shown:
            values = [values[0], "(the rest as above)"]
        shown.add(key)
        details.append((label, values))
    return details


def detail_lines(details, indent=""):
    """`label:    first line` then the other lines aligned under it."""
    lines = []
    for label, values in details:
        head = (label + ":").ljust(LABEL_WIDTH)
        for index, value in enumerate(values or [""]):
            lines.append(indent + (head if index == 0 else " " * LABEL_WIDTH) + value)
    return lines


# Reasons that fail every test of the kernel alike: they single out no lab.
WHOLE_KERNEL_REASONS = ("build failed",)


def regressions_first(snapshot, results):
    """results with the groups of earlier labs that have a failure moved to
    the front, and the names of those labs. An earlier lab's test failing
    on this lab's kernel is usually the first thing to fix: this lab's
    change broke something, and the current lab's own failures may follow
    from it."""
    broken = []
    for result in results:
        if result.spec_lab != snapshot and not result.passed and result.spec_lab not in broken \
                and result.reason not in WHOLE_KERNEL_REASONS:
            broken.append(result.spec_lab)
    order = {lab: index for index, lab in enumerate(broken)}
    return sorted(results, key=lambda r: order.get(r.spec_lab, len(broken))), broken


def regression_lines(spec_lab, snapshot):
    return ["  -- %s tests: REGRESSION, they fail on %s's kernel --" % (spec_lab, snapshot),
            "  (%s's own code may be unchanged: look first at what %s changed or now "
            "calls differently)" % (spec_lab, snapshot)]


def lab_lines(snapshot, results, painter, notes=()):
    """The report of one graded lab: header, tests grouped by spec (earlier
    labs' failing groups first), score."""
    lines = [painter.paint(lab_header(snapshot), BOLD)]
    lines += ["  " + note for note in notes]
    results, broken = regressions_first(snapshot, results)
    # Grading lab n also runs the tests of labs before it: say whose they are.
    several = len(set(result.spec_lab for result in results)) > 1
    group, shown = None, set()
    for result in results:
        if several and result.spec_lab != group:
            lines += (regression_lines(result.spec_lab, snapshot) if result.spec_lab in broken
                      else ["  -- %s tests --" % result.spec_lab])
        group = result.spec_lab
        lines += test_lines(result, painter, shown)
    if not results:
        lines.append("  (no tests for this lab)")
    lines.append(score_line(results))
    return lines


def score_line(results):
    earned = sum(result.score for result in results)
    total = sum(result.points for result in results)
    return "Score: %s/%s" % (points(earned), points(total))


def summary_line(results):
    """The last line of every grading run; scripts read it."""
    passed = sum(1 for result in results if result.passed)
    return "%d passed, %d failed" % (passed, len(results) - passed)


# --- Machine output -----------------------------------------------------------

def full_name(result):
    """The test's name with its snapshot, unique across a whole run."""
    return "[%s] %s" % (result.snapshot, result.name)


def output_text(result):
    """The plain-text explanation stored with a test in JSON and XML."""
    if result.passed:
        return "passed%s" % timing(result)
    return "\n".join(detail_lines(result.details))


def gradescope(results, execution_time):
    """A Gradescope results.json document (a dict)."""
    return {
        "score": sum(result.score for result in results),
        "max_score": sum(result.points for result in results),
        "execution_time": round(execution_time, 1),
        "tests": [{
            "name": full_name(result),
            "score": result.score,
            "max_score": result.points,
            "status": "passed" if result.passed else "failed",
            "output": output_text(result),
            # Which lab's spec the test comes from (grading lab n runs the
            # tests of labs 1..n); Gradescope shows tags, tools filter on them.
            "tags": [result.spec_lab],
        } for result in results],
    }


def write_json(path, results, execution_time):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(gradescope(results, execution_time), handle, indent=2)
        handle.write("\n")


def junit(results, execution_time):
    """A JUnit XML tree: one <testsuite> per snapshot, one <testcase> per test."""
    top = ElementTree.Element("testsuites", name="baton", tests=str(len(results)),
                              failures=str(sum(1 for r in results if not r.passed)),
                              time="%.1f" % execution_time)
    suites = {}
    for result in results:
        suite = suites.get(result.snapshot)
        if suite is None:
            suite = ElementTree.SubElement(top, "testsuite", name=result.snapshot,
                                           tests="0", failures="0")
            suites[result.snapshot] = suite
        _add_case(suite, result)
    return ElementTree.ElementTree(top)


def _add_case(suite, result):
    suite.set("tests", str(int(suite.get("tests")) + 1))
    case = ElementTree.SubElement(suite, "testcase", name=result.name,
                                  classname="%s.%s" % (result.snapshot, result.spec_lab),
                                  time="%.1f" % (result.wall or 0.0))
    if not result.passed:
        suite.set("failures", str(int(suite.get("failures")) + 1))
        failure = ElementTree.SubElement(case, "failure", message=result.reason)
        failure.text = output_text(result)


def write_junit(path, results, execution_time):
    tree = junit(results, execution_time)
    tree.write(path, encoding="utf-8", xml_declaration=True)
