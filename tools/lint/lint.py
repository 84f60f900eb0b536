#!/usr/bin/env python3
"""Format, static analysis and lints: the checks that keep the tree clean.

    tools/lint/lint.py format        rewrite every C file of every snapshot (`make format`)
    tools/lint/lint.py check-format  every such file is formatted as .clang-format says
    tools/lint/lint.py analyze       cppcheck over every snapshot's kernel, user and host code
    tools/lint/lint.py support       pyflakes over the Python, shellcheck over the shell scripts

Each takes file names to work on those files only instead.

"Every C file" means the regular .c and .h files of labs/*/ and final/
(kernel, user programs, host tests); links are the same files one snapshot
back, so each file is seen once. A file, or part of one, that must keep its
hand layout says so with `// clang-format off` ... `// clang-format on`.

Each check ends with the plain line `N passed, M failed` (tools/test-all
reads it). A check whose tool is not installed says which check it skipped
and ends with `0 passed, 0 failed, 1 skipped`; `tools/install-deps
--with-optional` installs the tools (Debian: clang-format, cppcheck,
pyflakes3, shellcheck).

cppcheck findings that are not bugs are listed, each with the reason, in
tools/lint/cppcheck-suppressions (the format is described there). A listed
suppression that no longer matches anything fails too, so the list stays
true. Python and shell files say why they silence a warning where they do
it: `# shellcheck disable=SCxxxx  # why` for shellcheck, and for pyflakes
(which has no such comment of its own) `# noqa: F401  (why)`, the reason
in parentheses being required.
"""

import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import labs  # noqa: E402

SUPPRESSIONS = os.path.join(HERE, "cppcheck-suppressions")
INSTALL = "tools/install-deps --with-optional"


def rel(path):
    return os.path.relpath(path, ROOT)


def find_tool(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def skipped(check, tool, package):
    print(f"{check}: skipped: {tool} is not installed (Debian package {package}; "
          f"{INSTALL} installs it)")
    print("0 passed, 0 failed, 1 skipped")
    return 0


def result(passed, failed):
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


# --- Which files. -----------------------------------------------------------

def snapshot_c_files(path):
    """The regular (non-link) .c and .h files of one snapshot, sorted."""
    found = []
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "build" and not d.startswith("."))
        for name in files:
            full = os.path.join(current, name)
            if name.endswith((".c", ".h")) and not os.path.islink(full) and os.path.isfile(full):
                found.append(full)
    return sorted(found)


def all_c_files():
    """Every snapshot's C files, and the grader's own (its loader, mbload.c)."""
    return [f for _, path in labs.list_labs(ROOT) for f in snapshot_c_files(path)] + \
        sorted(glob.glob(os.path.join(ROOT, "grading", "*.c")))


def first_line(path):
    try:
        with open(path, "rb") as f:
            return f.readline(200).decode("utf-8", "replace")
    except OSError:
        return ""


def support_scripts():
    """(python files, shell files) of grading/, tools/ and .ci/: by
    extension, or for a file without one by its #! line."""
    python, shell = [], []
    for top in ("grading", "tools", ".ci"):
        for current, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "tmp", "fixtures"))
            for name in sorted(files):
                full = os.path.join(current, name)
                if os.path.islink(full):
                    continue
                shebang = first_line(full) if "." not in name else ""
                if name.endswith(".py") or (shebang.startswith("#!") and "python" in shebang):
                    python.append(full)
                elif name.endswith(".sh") or (shebang.startswith("#!")
                                              and re.search(r"\b(ba)?sh\b", shebang)):
                    shell.append(full)
    return python, shell


# --- Format. ----------------------------------------------------------------

def clang_format():
    return find_tool("clang-format", "clang-format-14")


def style_argument():
    return "--style=file:" + os.path.join(ROOT, ".clang-format")


def cmd_format(args):
    tool = clang_format()
    if not tool:
        print(f"format: clang-format is not installed; {INSTALL} installs it", file=sys.stderr)
        return 1
    files = [os.path.abspath(f) for f in args] or all_c_files()
    before = {f: open(f, "rb").read() for f in files}
    subprocess.run([tool, style_argument(), "-i"] + files, cwd=ROOT, check=True)
    changed = [f for f in files if open(f, "rb").read() != before[f]]
    for f in changed:
        print(f"formatted {rel(f)}")
    print(f"format: {len(changed)} of {len(files)} files changed")
    return 0


def cmd_check_format(args):
    tool = clang_format()
    if not tool:
        return skipped("format check", "clang-format", "clang-format")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    files = [os.path.abspath(f) for f in args] or all_c_files()
    proc = subprocess.run([tool, style_argument(), "--dry-run", "--ferror-limit=1"] + files,
                          cwd=ROOT, capture_output=True, text=True)
    # One warning per unformatted file: "path:line:col: warning: code should
    # be clang-formatted [-Wclang-format-violations]".
    bad = {}
    for line in proc.stderr.splitlines():
        match = re.match(r"^(.*?):(\d+):\d+: (?:warning|error): code should be clang-formatted",
                         line)
        if match:
            bad.setdefault(os.path.abspath(os.path.join(ROOT, match.group(1))),
                           int(match.group(2)))
        elif "error:" in line and "clang-format-violations" not in line:
            print(line)  # a bad .clang-format, an unreadable file
    for f in files:
        if f in bad:
            print(f"not formatted: {rel(f)} (from line {bad[f]})")
    if proc.returncode != 0 and not bad:
        print(proc.stderr.strip())
        print(f"format check: clang-format exited {proc.returncode}")
        return result(0, 1)
    print(f"format check ({version}): {len(files) - len(bad)} of {len(files)} files formatted"
          + ("; `make format` formats the rest" if bad else ""))
    return result(len(files) - len(bad), len(bad))


# --- Static analysis. -------------------------------------------------------

def read_suppressions():
    """[(id, path glob, reason, line number)]; a line without a reason is
    an error."""
    entries, errors = [], []
    with open(SUPPRESSIONS) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                errors.append(f"{rel(SUPPRESSIONS)}:{number}: no reason given: {line}")
                continue
            entries.append((parts[0], parts[1], parts[2], number))
    return entries, errors


def cppcheck_snapshot(tool, path, files):
    """Run cppcheck on one snapshot's regular C files; return findings as
    (path relative to ROOT, line, id, severity, message)."""
    argv = [tool, "-q", "--std=c11", "--platform=unix64", "--language=c",
            "--enable=warning,performance,portability",
            "--suppress=missingIncludeSystem", "--inline-suppr",
            "-D__x86_64__", "-DSNAPSHOT=\"lint\"",
            # cppcheck 2.10 does not know C11's _Noreturn: without this it
            # believes code after panic() runs.
            "-D_Noreturn=__attribute__((noreturn))",
            "-I", os.path.join(path, "kernel"), "-I", os.path.join(path, "kernel", "test"),
            "-I", os.path.join(path, "common"), "-I", os.path.join(path, "user", "lib"),
            "--template={file}\t{line}\t{id}\t{severity}\t{message}"] + files
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    findings = []
    for line in proc.stderr.splitlines():
        parts = line.split("\t")
        if len(parts) == 5 and parts[1].isdigit():
            findings.append((rel(os.path.join(ROOT, parts[0])), int(parts[1]), parts[2],
                             parts[3], parts[4]))
        elif line.strip():
            print(line)
    return findings, proc.returncode


def cmd_analyze(args):
    tool = find_tool("cppcheck")
    if not tool:
        return skipped("static analysis", "cppcheck", "cppcheck")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    suppressions, errors = read_suppressions()
    for error in errors:
        print(error)
    used = set()
    passed, failed = 0, len(errors)
    snapshots = [("(files given)", ROOT, [os.path.abspath(a) for a in args])] if args else [
        (name, path, [rel(f) for f in snapshot_c_files(path) if f.endswith(".c")])
        for name, path in labs.list_labs(ROOT)]
    for name, path, files in snapshots:
        if not files:
            continue
        findings, status = cppcheck_snapshot(tool, path, files)
        shown = 0
        for finding in findings:
            where, line, kind, severity, message = finding
            match = next((s for s in suppressions
                          if s[0] == kind and fnmatch.fnmatchcase(where, s[1])), None)
            if match:
                used.add(match[3])
                continue
            print(f"{where}:{line}: {severity} ({kind}): {message}")
            shown += 1
        if shown or status != 0:
            print(f"cppcheck {name}: {shown} findings" + (f" (exit {status})" if status else ""))
            failed += 1
        else:
            print(f"cppcheck {name}: {len(files)} files, no findings")
            passed += 1
    for kind, pattern, _reason, number in ([] if args else suppressions):
        if number not in used:
            print(f"{rel(SUPPRESSIONS)}:{number}: suppression {kind} {pattern} "
                  "matches nothing any more: remove it")
            failed += 1
    print(f"static analysis: {version}, suppressions in {rel(SUPPRESSIONS)}")
    return result(passed, failed)


# --- Python and shell. ------------------------------------------------------

def silenced(report):
    """True for a pyflakes report on a line that says `# noqa: <code>  (why)`:
    pyflakes itself ignores those comments, which flake8 honours."""
    match = re.match(r"^(.*?):(\d+):", report)
    if not match:
        return False
    try:
        with open(os.path.join(ROOT, match.group(1))) as f:
            lines = f.read().splitlines()
        return re.search(r"#\s*noqa\b.*\(.+\)", lines[int(match.group(2)) - 1]) is not None
    except (OSError, IndexError):
        return False


def cmd_support(args):
    python, shell = support_scripts()
    if args:
        found = [os.path.abspath(f) for f in args]
        python = [f for f in found if f in python or f.endswith(".py")]
        shell = [f for f in found if f not in python]
    passed = failed = skips = 0
    pyflakes = find_tool("pyflakes3", "pyflakes")
    if pyflakes:
        proc = subprocess.run([pyflakes] + [rel(f) for f in python], cwd=ROOT,
                              capture_output=True, text=True)
        reports = [r for r in (proc.stdout + proc.stderr).splitlines() if not silenced(r)]
        for f in python:
            mine = [r for r in reports if r.startswith(rel(f) + ":")]
            for r in mine:
                print(r)
            failed += bool(mine)
            passed += not mine
        print(f"pyflakes: {len(python)} Python files")
    else:
        print(f"pyflakes check skipped: pyflakes3 is not installed (Debian package pyflakes3; "
              f"{INSTALL} installs it)")
        skips += 1
    shellcheck = find_tool("shellcheck")
    if shellcheck:
        for f in shell:
            # -x: follow `source` lines (tools/doctor sources tools/install-deps).
            proc = subprocess.run([shellcheck, "-x", "-f", "gcc", rel(f)], cwd=ROOT,
                                  capture_output=True, text=True)
            out = (proc.stdout + proc.stderr).strip()
            if proc.returncode != 0:
                print(out or f"{rel(f)}: shellcheck exited {proc.returncode}")
                failed += 1
            else:
                passed += 1
        print(f"shellcheck: {len(shell)} shell scripts")
    else:
        print(f"shellcheck check skipped: shellcheck is not installed (Debian package "
              f"shellcheck; {INSTALL} installs it)")
        skips += 1
    print(f"{passed} passed, {failed} failed" + (f", {skips} skipped" if skips else ""))
    return 0 if failed == 0 else 1


COMMANDS = {"format": cmd_format, "check-format": cmd_check_format,
            "analyze": cmd_analyze, "support": cmd_support}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print("usage: tools/lint/lint.py " + "|".join(COMMANDS), file=sys.stderr)
        return 2
    return COMMANDS[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
