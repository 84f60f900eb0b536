#!/usr/bin/env python3
"""Lab names: which snapshots exist, and what a user means by `LAB=3`.

Baton's kernel lives in snapshots, one directory per lab, oldest first:

    labs/01-boot/  labs/02-paging/  ...  labs/06-continuations/  final/

Everyone who takes a lab name from a person goes through this file, so that
`3`, `03`, `03-buddy`, `buddy` and `BUDDY` mean the same thing everywhere:
the top-level Makefile (through the command line below), the grader and
tools/snapshot (by importing it).

As a module:
    list_labs(root)        [(name, path), ...] oldest first, final last
    resolve(root, value)   (name, path) for `3`, `03`, `03-buddy`, `buddy`, `final`
    previous(root, name)   the name of the snapshot before, or None
    marker_label(name)     `3` for `03-buddy`, `final` for final: what its
                           solution markers say after `LAB `
    LabError               raised with a one-line message a person can act on

A lab counts only if its directory exists and holds a Makefile (a file or a
link), because a lab that cannot be built cannot be booted or graded.
snapshot_dirs(root) lists every well-named snapshot directory, with or
without a Makefile; the snapshot tool uses it so that it checks every tree.

As a command (ROOT defaults to the directory above tools/):
    python3 tools/labs.py [--root ROOT] resolve VALUE   print e.g. labs/03-buddy
    python3 tools/labs.py [--root ROOT] default         the lab `make qemu` boots
    python3 tools/labs.py [--root ROOT] list            one name a line
    python3 tools/labs.py [--root ROOT] previous VALUE  the lab before (none: no output)
Errors go to stderr as one line, with exit status 2.
"""

import argparse
import os
import re
import sys

FINAL = "final"

# A lab directory is two digits, a dash and a lowercase word: `03-buddy`.
# The word may contain dashes (`07-file-system`) so a course can add labs.
LAB_NAME = re.compile(r"^(\d\d)-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")


class LabError(Exception):
    """A lab name that does not match any snapshot; str() is one line."""


def lab_number(name):
    """The number of `03-buddy` (3), or None for `final`."""
    match = LAB_NAME.match(name)
    return int(match.group(1)) if match else None


def marker_label(name):
    """What the solution markers in lab `name`'s files say after `LAB `:
    `3` for `03-buddy` (`// LAB 3: BEGIN SOLUTION`), `final` for final/
    (`// LAB final: BEGIN SOLUTION`)."""
    number = lab_number(name)
    return name if number is None else str(number)


def lab_word(name):
    """The word of `03-buddy` (`buddy`), or the name itself for `final`."""
    match = LAB_NAME.match(name)
    return match.group(2) if match else name


def snapshot_dirs(root):
    """Every snapshot directory under root, oldest first, final last.

    Unlike list_labs, this does not ask for a Makefile: it is what the
    snapshot tool checks, and a tree under construction must be checked too.
    Names that do not look like `NN-word` are not snapshots and are skipped.
    """
    root = os.fspath(root)
    labs_dir = os.path.join(root, "labs")
    found = []
    if os.path.isdir(labs_dir):
        for name in os.listdir(labs_dir):
            path = os.path.join(labs_dir, name)
            if LAB_NAME.match(name) and os.path.isdir(path):
                found.append((name, path))
    # Sort by number first, so the order never depends on the words.
    found.sort(key=lambda lab: (lab_number(lab[0]), lab[0]))
    final_path = os.path.join(root, FINAL)
    if os.path.isdir(final_path):
        found.append((FINAL, final_path))
    return found


def _has_makefile(path):
    """True if the directory holds a Makefile, as a file or as a link."""
    makefile = os.path.join(path, "Makefile")
    return os.path.isfile(makefile) or os.path.islink(makefile)


def list_labs(root):
    """The labs that can be built: [(name, path), ...], final last."""
    return [lab for lab in snapshot_dirs(root) if _has_makefile(lab[1])]


def describe(labs):
    """`01-boot (1, boot), 02-paging (2, paging), final`: the accepted names."""
    if not labs:
        return "(none found)"
    parts = []
    for name, _ in labs:
        number = lab_number(name)
        if number is None:
            parts.append(name)
        else:
            parts.append("%s (%d, %s)" % (name, number, lab_word(name)))
    return ", ".join(parts)


def _clean(value):
    """Normalise what a person typed: `  Labs/03-Buddy/ ` becomes `03-buddy`."""
    text = str(value).strip().lower().rstrip("/")
    if text.startswith("labs/"):
        text = text[len("labs/"):]
    return text


def match(labs, value):
    """Find value among labs, a list like list_labs returns; raise LabError."""
    text = _clean(value)
    if text.isdigit():
        hits = [lab for lab in labs if lab_number(lab[0]) == int(text)]
    else:
        hits = [lab for lab in labs if text in (lab[0], lab_word(lab[0]))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        names = ", ".join(name for name, _ in hits)
        raise LabError("lab '%s' is ambiguous: %s" % (str(value).strip(), names))
    raise LabError("no lab '%s'; valid: %s" % (str(value).strip(), describe(labs)))


def resolve(root, value):
    """(name, path) of the lab value names: `3`, `03`, `03-buddy`, `buddy`, `final`."""
    return match(list_labs(root), value)


def previous(root, name):
    """The name of the snapshot before name, or None for the first one.

    final's previous is the newest lab under labs/. name may be any value
    resolve accepts.
    """
    labs = list_labs(root)
    wanted, _ = match(labs, name)
    names = [lab_name for lab_name, _ in labs]
    index = names.index(wanted)
    return names[index - 1] if index > 0 else None


def default(root):
    """The lab `make qemu` boots with no LAB=: final/, else the newest lab."""
    labs = list_labs(root)
    if not labs:
        raise LabError("no labs found under %s (a lab needs a Makefile)" % root)
    return labs[-1]  # final sorts last, so this is final/ when it exists


def _relative(root, path):
    """A lab path as the Makefile wants it: `labs/03-buddy` or `final`."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Name Baton's lab snapshots.")
    parser.add_argument("--root", default=os.path.dirname(here),
                        help="the repository (default: the directory above tools/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("resolve", help="print the path of a lab").add_argument("value")
    commands.add_parser("default", help="print the lab `make qemu` boots")
    commands.add_parser("list", help="print every lab name, oldest first")
    commands.add_parser("previous", help="print the snapshot before a lab").add_argument("value")
    args = parser.parse_args(argv)

    try:
        if args.command == "resolve":
            print(_relative(args.root, resolve(args.root, args.value)[1]))
        elif args.command == "default":
            print(_relative(args.root, default(args.root)[1]))
        elif args.command == "list":
            for name, _ in list_labs(args.root):
                print(name)
        elif args.command == "previous":
            before = previous(args.root, args.value)
            if before is not None:  # the first lab prints nothing
                print(before)
    except LabError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
