#!/usr/bin/env python3
"""Boot the random system-call fuzzer on one seed: `make fuzz SEED=7 CALLS=100000`.

Builds a snapshot (final/ unless --lab names another with user/sysfuzz:
lab 06 on), boots it with `run=sysfuzz:SEED:CALLS` the way the grader does (QEMU
under TCG with `-icount shift=2,sleep=off`, so the same seed makes the
same calls and sees the same answers on every host), shows the serial
lines as they come, and ends with how many calls ran and how long the
boot took:

    make fuzz: seed 7: PASS: 100052 calls ran in 9.1 s (log: final/build/fuzz/seed-7.log)

Exit status: 0 when the fuzzer's verdict is PASS, every pair of counts on
the kernel's `run: done` line is equal and the kernel powered off
cleanly, 1 otherwise (FAIL, a panic, a hang), 2 for bad arguments.
Relies on qemu.py (build, ISO, QEMU command) and tools/labs.py.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import qemu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import labs  # noqa: E402

VERDICT = re.compile(r"^sysfuzz: seed (\d+): (PASS|FAIL): (.*)$")
# The kernel's counts once every program has ended: each pair must be
# equal (lab 06's sysfuzz cannot read them itself; final/'s checks them too).
RUN_DONE = re.compile(r"^run: done, (.*)$")
PAIR = re.compile(r"(\d+) -> (\d+)")
CALLS = re.compile(r"(\d+) calls")


def timeout_for(calls):
    """Generous: about 80 s a million calls on a loaded two-core machine."""
    scale = float(os.environ.get("BATON_TIMEOUT_SCALE", "1") or 1)
    return (120 + calls / 2000) * scale


def follow(proc, log_path, deadline):
    """Print the log's new lines until QEMU ends or the deadline passes;
    the last line seen and whether it timed out."""
    position, pending, last = 0, b"", ""
    timed_out = False
    while True:
        finished = proc.poll() is not None
        try:
            with open(log_path, "rb") as handle:
                handle.seek(position)
                data = handle.read()
        except OSError:
            data = b""
        position += len(data)
        pending += data
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            print(line, flush=True)
            last = line or last
        if finished:
            return last, timed_out
        if time.monotonic() > deadline:
            proc.kill()
            timed_out = True
        time.sleep(0.2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", default="final", help="the snapshot (default final)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=100000)
    parser.add_argument("--memory", default="128M")
    args = parser.parse_args(argv)
    if args.seed < 0 or args.calls < 1 or args.seed >= 10**18 or args.calls >= 10**18:
        parser.error("SEED from 0 and CALLS from 1, both below 10^18")
    try:
        name, path = labs.resolve(ROOT, args.lab)
    except labs.LabError as error:
        parser.error(str(error))
    if not os.path.isdir(os.path.join(path, "user", "sysfuzz")):
        parser.error("%s has no user/sysfuzz (lab 06 and final/ have)" % name)

    ok, output = qemu.build(path)
    if not ok:
        print("\n".join(output[-30:]))
        print("make fuzz: the build failed")
        return 1
    out_dir = os.path.join(path, "build", "fuzz")
    os.makedirs(out_dir, exist_ok=True)
    iso = os.path.join(out_dir, "fuzz.iso")
    log = os.path.join(out_dir, "seed-%d.log" % args.seed)
    cmdline = "run=sysfuzz:%d:%d" % (args.seed, args.calls)
    ok, output = qemu.make_iso(path, cmdline, iso)
    if not ok:
        print("\n".join(output[-30:]))
        print("make fuzz: could not make the ISO")
        return 1
    qemu.remove_quietly(log)
    command = qemu.qemu_command(iso, log, args.memory)
    start = time.monotonic()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    last, timed_out = follow(proc, log, start + timeout_for(args.calls))
    status = proc.wait()
    wall = time.monotonic() - start
    verdict = done = None
    with open(log, "rb") as handle:
        for line in handle.read().decode("utf-8", "replace").splitlines():
            verdict = VERDICT.match(line.strip()) or verdict
            done = RUN_DONE.match(line.strip()) or done
    where = os.path.relpath(log, ROOT)
    if timed_out:
        print("make fuzz: seed %d: FAIL: no power-off within %.0f s; last line: %s (log: %s)"
              % (args.seed, wall, last, where))
        return 1
    if verdict is None:
        print("make fuzz: seed %d: FAIL: no verdict (QEMU exited %s; last line: %s) (log: %s)"
              % (args.seed, status, last, where))
        return 1
    calls = CALLS.search(verdict.group(3))
    leaked = done is None or any(a != b for a, b in PAIR.findall(done.group(1)))
    if leaked:
        print("make fuzz: seed %d: the counts of run: done differ, or it is missing: %s"
              % (args.seed, done.group(0) if done else last))
    passed = verdict.group(2) == "PASS" and status == 33 and not leaked
    print("make fuzz: seed %d: %s: %s calls ran in %.1f s (log: %s)"
          % (args.seed, "PASS" if passed else "FAIL", calls.group(1) if calls else "?", wall, where))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
