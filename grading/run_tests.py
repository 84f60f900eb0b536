#!/usr/bin/env python3
"""Run a directory's unit tests (test_*.py) and sum them up: the grader's
own (grading/tests/, the default) or the tools' (tools/tests/).

Owns: finding and running every test_*.py, and ending with the plain line
`N passed, M failed` that CI and the top-level Makefile read. Exit status
0 only when nothing failed.

    python3 grading/run_tests.py [-v] [DIRECTORY]
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    verbosity = 2 if "-v" in argv else 1
    places = [a for a in argv if a != "-v"]
    tests = os.path.abspath(places[0]) if places else os.path.join(HERE, "tests")
    sys.dont_write_bytecode = True  # keep the test directories free of __pycache__
    suite = unittest.defaultTestLoader.discover(tests, pattern="test_*.py", top_level_dir=tests)
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
