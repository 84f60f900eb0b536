"""Shared helpers for the grader's unit tests: fixtures and quick scoring.

Owns: finding grading/ and the recorded serial logs in fixtures/, and
scoring a fixture against a spec without QEMU. Every test module imports
this first, so that `import score` and friends find grading/.
"""

import os
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
GRADING = os.path.dirname(TESTS)
ROOT = os.path.dirname(GRADING)
FIXTURES = os.path.join(TESTS, "fixtures")
SPEC_01 = os.path.join(GRADING, "specs", "01-boot.json")

if GRADING not in sys.path:
    sys.path.insert(0, GRADING)

import score  # noqa: E402  (needs the path above)
import serial  # noqa: E402
import spec  # noqa: E402


def fixture_bytes(name):
    with open(os.path.join(FIXTURES, name), "rb") as handle:
        return handle.read()


def fixture_lines(name):
    return serial.split_lines(serial.decode(fixture_bytes(name)))


def outcome(name, exit_status=33, wall=1.2, timed_out=False, timeout=10.0, **extra):
    """A BootOutcome as if QEMU had produced fixture name."""
    text = fixture_bytes(name) if name else b""
    if timed_out:
        exit_status = None
    return score.BootOutcome(text, exit_status, wall, timed_out, timeout,
                             log_path="build/grade/%s" % (name or "none"), **extra)


def load_spec_01(snapshot="01-boot"):
    return spec.load(SPEC_01, snapshot)


def score_boot(boot_name, boot_outcome, the_spec=None, snapshot="01-boot", scale=1.0):
    """{test name: TestResult} for every test of the spec on one boot."""
    the_spec = the_spec or load_spec_01(snapshot)
    log = score.BootLog(boot_outcome, the_spec.boots[boot_name])
    return {test.name: score.score_test(test, log, snapshot, scale)
            for test in the_spec.tests if test.boot == boot_name}


def failed_names(results):
    return sorted(name for name, result in results.items() if not result.passed)


def detail(result, label):
    """The lines under one label of a failed test's details, joined."""
    return "\n".join(line for key, lines in result.details if key == label for line in lines)
