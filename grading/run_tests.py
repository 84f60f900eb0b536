#!/usr/bin/env python3
"""Run the grader's own unit tests (grading/tests/), without QEMU.

Owns: finding and running every tests/test_*.py, and ending with the plain
line `N passed, M failed` that CI and the top-level Makefile read. Exit
status 0 only when nothing failed.

    python3 grading/run_tests.py [-v]
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "tests")


def main(argv):
    verbosity = 2 if "-v" in argv else 1
    suite = unittest.defaultTestLoader.discover(TESTS, pattern="test_*.py", top_level_dir=TESTS)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=verbosity).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    if skipped:
        print("(%d skipped)" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
