#!/usr/bin/env python3
"""Run every test of the tools (tools/tests/test_*.py) and sum them up.

    python3 tools/tests/run_tests.py

Prints one line per test, the details of any failure, and last the plain
line `N passed, M failed`, like the grader, so `make test` can read every
part the same way. Exit status 0 only if nothing failed.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    sys.dont_write_bytecode = True  # keep tools/tests free of __pycache__
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    if skipped:
        print("%d skipped" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
