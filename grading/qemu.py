"""Running things: building a snapshot, making boot ISOs, booting QEMU.

Owns: every subprocess the grader starts, and the rule that none of them
may hang the grader (each runs in its own process group and is killed with
it at its timeout); and a boot's extra modules, made (badelf.py) from the
lab's own build/user/<program> into a scratch directory that lives only
while its ISO is made. Produces score.BootOutcome values; never scores.
Relies on the snapshot's Makefile for `make` and `make iso CMDLINE=.. ISO=..
[MODULES="file ..."]` (see labs/01-boot/Makefile) and on qemu-system-x86_64
being installed.
"""

import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import badelf
import score
import serial

QEMU = "qemu-system-x86_64"
BUILD_TIMEOUT = 600.0  # seconds, before scaling: a cold build of one snapshot
ISO_TIMEOUT = 120.0
LOG_LIMIT = 8 * 1024 * 1024  # bytes of serial log read; no kernel needs more

# The subprocesses running now, so that an interrupted grader can stop them.
_running = set()
_running_lock = threading.Lock()
_stopping = threading.Event()  # set once interrupted: start nothing new


class BootRequest:
    """One QEMU run to do: how to boot, and where its files go."""

    def __init__(self, name, cmdline, memory, qemu_args, timeout, iso_path, log_path,
                 modules=(), host_tests=None):
        self.name = name
        self.cmdline = cmdline
        self.memory = memory
        self.qemu_args = list(qemu_args)
        self.timeout = timeout        # seconds, already scaled
        self.iso_path = iso_path
        self.log_path = log_path
        # [(module name, badelf kind, the program it is made from)]
        self.modules = list(modules)
        self.host_tests = host_tests  # host tests to run instead of booting (names)
        self.input = None             # text to type into the serial port (lab 06 on)
        self.input_after = None       # ... once a line matches this (None: the first line)
        self.loader = None            # "grub": boot the ISO through GRUB, not mbload.c


class Finished:
    """How a subprocess ended: status (None if killed), output, wall time."""

    def __init__(self, status, stdout, stderr, wall, timed_out):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.wall = wall
        self.timed_out = timed_out


def run(argv, timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Run argv with a time limit; kill its whole process group if it overruns.

    A new session makes the child (and anything it starts, like the
    compilers make runs) a process group we can kill in one go. Raises
    OSError if the program cannot be started (not installed).
    """
    with _running_lock:
        if _stopping.is_set():
            raise OSError("the grader was interrupted")
        start = time.monotonic()
        # LC_ALL=C: compilers then quote with plain ASCII, which the
        # report shows as it is (their UTF-8 quotes would come out escaped).
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout,
                                stderr=stderr, start_new_session=True,
                                env=dict(os.environ, LC_ALL="C"))
        _running.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        timed_out = True
    finally:
        with _running_lock:
            _running.discard(proc)
    wall = time.monotonic() - start
    return Finished(None if timed_out else proc.returncode,
                    serial.decode(out or b""), serial.decode(err or b""), wall, timed_out)


def run_typing(argv, timeout, text, after):
    """Run QEMU as run() does, and type `text` into its stdin once a line of
    its stdout matches the regular expression `after` (None: once the first
    line is out). QEMU's serial port is then its stdio (the log is written
    by the chardev's logfile), so stdout is read as it comes.
    """
    pattern = re.compile(after) if after else None
    with _running_lock:
        if _stopping.is_set():
            raise OSError("the grader was interrupted")
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                env=dict(os.environ, LC_ALL="C"))
        _running.add(proc)
    errors = []

    def watch_output():
        pending, typed = b"", False
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                return
            if typed:
                continue  # keep draining, so QEMU never blocks on a full pipe
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if pattern is None or pattern.search(serial.decode(line).rstrip("\r")):
                    try:
                        proc.stdin.write(text.encode())
                        proc.stdin.flush()
                    except OSError:
                        pass  # QEMU is gone already
                    typed = True
                    break

    def read_errors():
        errors.append(proc.stderr.read())

    threads = [threading.Thread(target=watch_output, daemon=True),
               threading.Thread(target=read_errors, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        proc.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.wait()
        timed_out = True
    finally:
        with _running_lock:
            _running.discard(proc)
    for thread in threads:
        thread.join(5)
    try:
        proc.stdin.close()
    except OSError:
        pass
    wall = time.monotonic() - start
    return Finished(None if timed_out else proc.returncode, "",
                    serial.decode(errors[0] if errors else b""), wall, timed_out)


def stop_all():
    """Kill every process this grader started that is still running.

    Our children run in their own sessions, so a Ctrl-C on the terminal
    does not reach them; the grader calls this when it is interrupted.
    """
    with _running_lock:
        _stopping.set()
        procs = list(_running)
    for proc in procs:
        _kill_group(proc)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it ended just now


# --- Building -------------------------------------------------------------------

def build(labdir, scale=1.0):
    """`make -s -j<cores> -C labdir`: (ok, output lines), build output and
    errors mixed, each file's messages kept together (--output-sync)."""
    jobs = "-j%d" % max(1, os.cpu_count() or 1)
    try:
        done = run(["make", "-s", jobs, "--output-sync=target", "-C", labdir],
                   BUILD_TIMEOUT * scale, stderr=subprocess.STDOUT)
    except OSError as error:
        return False, ["cannot run make: %s" % error]
    lines = serial.split_lines(done.stdout)
    if done.timed_out:
        return False, lines + ["(the build did not finish within %gs)" % (BUILD_TIMEOUT * scale)]
    return done.status == 0, lines


def make_iso(labdir, cmdline, iso_path, scale=1.0, modules=()):
    """An ISO that boots labdir's kernel with cmdline: (ok, output lines).

    modules: paths of extra files, each added as a boot module named by
    its file name.
    """
    argv = ["make", "-s", "-C", labdir, "iso", "CMDLINE=" + cmdline, "ISO=" + iso_path]
    if modules:
        argv.append("MODULES=" + " ".join(modules))
    try:
        done = run(argv, ISO_TIMEOUT * scale, stderr=subprocess.STDOUT)
    except OSError as error:
        return False, ["cannot run make: %s" % error]
    ok = done.status == 0 and os.path.isfile(iso_path)
    output = serial.split_lines(done.stdout)
    if done.status == 0 and not ok:
        # Another make (or grader) working in the same build/ may have removed it.
        output.append("(make iso succeeded but %s is not there)" % iso_path)
    return ok, output


# --- The grader's loader ------------------------------------------------------------
#
# GRUB spends most of a graded boot waiting for the clock (icount makes
# each wait cost instructions). QEMU can itself load a Multiboot (version 1)
# kernel and modules: mbload.c is such a kernel, and loads the lab's
# kernel.elf as a Multiboot2 loader would. A boot through it takes about a
# quarter of a second instead of one. `make qemu` and the specs' `"loader":
# "grub"` boots still go through GRUB, so every grade boots the ISO once.

LOADER_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mbload.c")
LOADER_FLAGS = ["-m32", "-march=i686", "-O2", "-ffreestanding", "-fno-pic", "-fno-pie",
                "-no-pie", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
                "-nostdlib", "-static", "-Wl,-N", "-Wl,-Ttext=0x1000000",
                "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments"]
_loader_lock = threading.Lock()


def direct_loader(labdir):
    """(path of the built loader, None), or (None, why it cannot be used).

    Built once into the lab's build/grade/ and again when mbload.c changes.
    BATON_LOADER=grub in the environment boots everything through GRUB.
    """
    if os.environ.get("BATON_LOADER") == "grub":
        return None, None
    target = os.path.join(labdir, "build", "grade", "mbload.elf")
    with _loader_lock:
        try:
            if os.path.getmtime(target) >= os.path.getmtime(LOADER_SOURCE):
                return target, None
        except OSError:
            pass
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            done = run([os.environ.get("CC", "cc")] + LOADER_FLAGS + ["-o", target, LOADER_SOURCE],
                       BUILD_TIMEOUT, stderr=subprocess.STDOUT)
        except OSError as error:
            return None, "cannot build grading/mbload.c: %s" % error
        if done.status != 0:
            return None, "cannot build grading/mbload.c (%s)" % done.stdout.strip()[-200:]
        return target, None


def lab_programs(labdir):
    """The lab's programs, as `make iso` adds them: every user/<name>/ but lib."""
    user = os.path.join(labdir, "user")
    names = os.listdir(user) if os.path.isdir(user) else []
    return sorted(n for n in names if n != "lib" and os.path.isdir(os.path.join(user, n)))


def boot_direct(labdir, request, loader):
    """Boot request through the loader: kernel.elf and every module handed
    to QEMU as Multiboot modules (-initrd), named as GRUB would name them."""
    try:
        directory, extra = write_modules(labdir, request, tempfile.gettempdir())
    except (ModuleError, OSError) as error:
        return score.BootOutcome(error="could not make the boot's modules: %s" % error,
                                 timeout=request.timeout)
    try:
        files = [(os.path.join(labdir, "build", "kernel.elf"), "kernel.elf")]
        files += [(program_path(labdir, n), n) for n in lab_programs(labdir)]
        files += [(path, os.path.basename(path)) for path in extra]
        modules = []
        for index, (path, name) in enumerate(files):
            if not os.path.isfile(path):
                return score.BootOutcome(error="%s is not built ('make -C %s')"
                                         % (display(path), labdir), timeout=request.timeout)
            path = os.path.abspath(path)
            if any(c == "," or c.isspace() for c in path):
                # QEMU splits -initrd at commas and a module at its first
                # space: a link with a plain name keeps such a path out.
                link = os.path.join(directory, "m%d" % index)
                os.symlink(path, link)
                path = link
            modules.append("%s %s" % (path, name))
        argv = qemu_command(None, request.log_path, request.memory, request.qemu_args,
                            typing=request.input is not None,
                            direct=(loader, request.cmdline, ",".join(modules)))
        return boot(request, argv)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def display(path):
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# --- Booting ----------------------------------------------------------------------

# Guest time follows guest instructions (4 ns each), not the host's clock,
# and an idle guest skips ahead to its next timer: a busy host slows a boot
# down but never changes what the kernel sees, so time budgets and timer
# tests mean the same on a loaded laptop as on an idle one.
ICOUNT = ["-icount", "shift=2,sleep=off"]


def qemu_command(iso_path, log_path, memory, extra_args=(), ahci=True, typing=False,
                 direct=None):
    """The QEMU command line of the grading protocol (docs/design.md).

    direct: (loader, command line, modules) boots through the grader's
    loader instead of an ISO: `-kernel loader -append cmdline -initrd modules`.

    The ISO is a CD on a SATA (AHCI) controller rather than the IDE one
    `-cdrom` uses (as `make qemu` does; ahci=False): SeaBIOS then reads
    GRUB, the kernel and the programs by DMA instead of port I/O, which
    saves about half a second of every boot. The kernel sees the same
    machine, memory map and modules, except that SeaBIOS keeps a few KiB
    more for itself (`mem:` moves by that much).

    typing: the serial port is QEMU's stdio (the grader types into it),
    and the chardev's logfile is the log.

    -nodefaults leaves out the devices no kernel here uses and the grader
    does not add itself: the VGA card, the network card (SeaBIOS runs both
    option ROMs under icount), the IDE CD drive, the floppy and the
    parallel port. That is about a third of a short boot; the memory map
    and the devices the kernel uses (COM1, the PIC, PIT, RTC, the
    debug-exit port) stay the same.
    """
    # QEMU splits option values at commas; a comma in a path is written twice.
    path = log_path.replace(",", ",,")
    if typing:
        serial_args = ["-chardev", "stdio,id=com1,signal=off,logfile=" + path,
                       "-serial", "chardev:com1"]
    else:
        serial_args = ["-serial", "file:" + path]
    if direct:
        loader, cmdline, modules = direct
        cd = ["-kernel", loader, "-append", cmdline, "-initrd", modules]
    elif ahci:
        drive = "file=%s,media=cdrom,if=none,id=cd,readonly=on" % iso_path.replace(",", ",,")
        cd = ["-device", "ahci,id=ahci", "-drive", drive,
              "-device", "ide-cd,drive=cd,bus=ahci.0,bootindex=0"]
    else:
        cd = ["-cdrom", iso_path, "-boot", "d"]
    return [QEMU, "-machine", "pc", "-nodefaults", "-cpu", "qemu64", "-accel", "tcg",
            "-m", memory] + cd + [
        "-display", "none", "-monitor", "none"] + serial_args + [
        "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + ICOUNT + list(extra_args)


def read_log(path):
    """The serial log's bytes; a runaway kernel's flood is cut at LOG_LIMIT."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(LOG_LIMIT + 1)
    except OSError:
        return b""
    if len(data) > LOG_LIMIT:
        data = data[:LOG_LIMIT] + b"\n(the grader read only the first %d bytes)\n" % LOG_LIMIT
    return data


def boot(request, argv=None):
    """Boot request (its ISO, or argv) in QEMU and return its score.BootOutcome."""
    remove_quietly(request.log_path)  # never score an old run's log
    typing = request.input is not None
    argv = argv or qemu_command(request.iso_path, request.log_path, request.memory,
                                request.qemu_args, typing=typing)
    try:
        if typing:
            done = run_typing(argv, request.timeout, request.input, request.input_after)
        else:
            done = run(argv, request.timeout)
    except OSError as error:
        return score.BootOutcome(error="cannot run %s: %s (see 'make doctor')"
                                 % (QEMU, error.strerror), timeout=request.timeout)
    return score.BootOutcome(read_log(request.log_path), done.status, done.wall,
                             done.timed_out, request.timeout, stderr=done.stderr)


SANITIZE_PROBE = "int main(void) { return 0; }\n"


_sanitizers = {}              # compiler -> sanitizers_missing()'s answer, once a grade
_sanitizers_lock = threading.Lock()


def sanitizers_missing():
    """Why the host compiler cannot build with ASan and UBSan, or None if it
    can. Asked once per compiler and grader run (the probe takes most of a
    second)."""
    compiler = os.environ.get("CC", "cc")
    with _sanitizers_lock:
        if compiler not in _sanitizers:
            _sanitizers[compiler] = _probe_sanitizers(compiler)
        return _sanitizers[compiler]


def _probe_sanitizers(compiler):
    with tempfile.TemporaryDirectory(prefix="baton-probe-") as tmp:
        source = os.path.join(tmp, "probe.c")
        with open(source, "w") as handle:
            handle.write(SANITIZE_PROBE)
        try:
            done = run([compiler, "-fsanitize=address,undefined", "-o",
                        os.path.join(tmp, "probe"), source], BUILD_TIMEOUT)
        except OSError as error:
            return "no host compiler %s (%s)" % (compiler, error.strerror)
        if done.status != 0:
            return "%s cannot link -fsanitize=address,undefined" % compiler
    return None


def run_host_tests(labdir, request):
    """`make -s -C <lab>/host test QUICK=1 ONLY=<names>` as a boot: its output
    is the log.

    Where the machine cannot build with the sanitizers, the log says so and
    ends "0 passed, 0 failed": the tests are part of the grade where they
    can run, and no student loses points for the machine they grade on.
    The compiler is asked (sanitizers_missing) only when the tests fail,
    so a passing run pays nothing for the question.
    """
    remove_quietly(request.log_path)
    directory = os.path.join(labdir, "host")
    try:
        done = run(["make", "-s", "-C", directory, "test", "QUICK=1",
                    "ONLY=" + " ".join(request.host_tests)], request.timeout,
                   stderr=subprocess.STDOUT)
    except OSError as error:
        return score.BootOutcome(error="cannot run make: %s" % error.strerror,
                                 timeout=request.timeout)
    text = done.stdout
    if done.timed_out:
        text += "\n(host tests still running after %.0f s: stopped; a test may loop)\n" \
            % request.timeout
    elif done.status != 0:
        missing = sanitizers_missing()
        if missing:
            text = "host tests not run: %s\n0 passed, 0 failed\n" % missing
            done = Finished(0, text, "", done.wall, False)
    with open(request.log_path, "w") as handle:
        handle.write(text)
    return score.BootOutcome(text, done.status, done.wall, done.timed_out, request.timeout,
                             log_path=request.log_path)


class ModuleError(Exception):
    """A boot's extra modules could not be made; str() says why."""


def program_path(labdir, program):
    return os.path.join(labdir, "build", "user", program)


def write_modules(labdir, request, parent=None):
    """Make request's modules in a new scratch directory in parent (by
    default beside the ISO): (directory, [paths]).

    Each is made from the lab's built build/user/<from>; a missing program,
    a program a kind cannot break, or a name that would replace one of the
    lab's own programs on the ISO raises ModuleError.
    """
    prefix = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.name)
    parent = parent or os.path.dirname(os.path.abspath(request.iso_path))
    directory = tempfile.mkdtemp(prefix=prefix + "-modules-", dir=parent)
    try:
        if any(c.isspace() or c == "," for c in directory):
            raise ModuleError("the scratch directory %s has a space or a comma in its path, "
                              "which QEMU's -initrd and make iso MODULES=\"...\" cannot take"
                              % directory)
        sources, paths = {}, []
        for name, kind, source in request.modules:
            if os.path.exists(program_path(labdir, name)):
                raise ModuleError("module '%s' would replace the lab's own program "
                                  "build/user/%s on the ISO: rename it in the spec" % (name, name))
            if kind == DATA_MODULE:
                data = data_module(name)
            else:
                if source not in sources:
                    sources[source] = read_program(labdir, source)
                try:
                    data = badelf.make(kind, sources[source])
                except badelf.CannotBreak as error:
                    raise ModuleError("cannot make module '%s' (%s) from build/user/%s: %s"
                                      % (name, kind, source, error))
            path = os.path.join(directory, name)
            with open(path, "wb") as handle:
                handle.write(data)
            paths.append(path)
        return directory, paths
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


DATA_MODULE = "data"
DATA_MODULE_BYTES = 3 * 4096 + 100     # a few pages, the last one partly


def data_module(name):
    """The bytes of a `data` module: its name, repeated (recognisable in a dump)."""
    pattern = (name + "\n").encode()
    return (pattern * (DATA_MODULE_BYTES // len(pattern) + 1))[:DATA_MODULE_BYTES]


def read_program(labdir, program):
    """The bytes of the lab's build/user/<program>; ModuleError if it is not there."""
    path = program_path(labdir, program)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise ModuleError("no program %s to make the bad ELF modules from (%s): "
                          "'make -s -C %s' should build it"
                          % (path, error.strerror, labdir))


def prepare(labdir, request, scale=1.0):
    """Make request's ISO with `make iso`; None on success, else a
    BootOutcome saying why not. Generated modules exist only while the ISO
    is made (it holds copies): they are removed whatever happens.
    """
    directory, modules = None, []
    if request.modules:
        try:
            directory, modules = write_modules(labdir, request)
        except (ModuleError, OSError) as error:
            return score.BootOutcome(error="could not make the boot's modules: %s" % error,
                                     timeout=request.timeout)
    try:
        ok, output = make_iso(labdir, request.cmdline, request.iso_path, scale, modules)
    finally:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
    if ok:
        return None
    shown = "make iso CMDLINE=\"%s\"" % request.cmdline
    if modules:
        shown += " MODULES=\"%s\"" % " ".join(name for name, _, _ in request.modules)
    return score.BootOutcome(error="could not make the boot ISO (%s)" % shown,
                             error_output=output, timeout=request.timeout)


def start_boots(labdir, requests, pool, scale=1.0):
    """Queue the boots of requests on pool (a ThreadPoolExecutor), the
    longest first, so that the workers finish together: ({request.name:
    Future of its BootOutcome}, [notes to print]). finish_boots waits.

    grade.py builds the kernel before this. A boot goes through the
    grader's loader (mbload.c) unless its spec asks for GRUB or the
    loader cannot be built here; then its ISO is made with `make iso`.
    """
    loader, why_not = direct_loader(labdir) if requests else (None, None)
    notes = []
    if loader is None and why_not and any(not r.host_tests for r in requests):
        notes.append("(booting through GRUB: %s)" % why_not)

    def prepare_and_boot(request):
        if request.host_tests:
            return run_host_tests(labdir, request)
        if loader is not None and request.loader != "grub":
            return boot_direct(labdir, request, loader)
        failed = prepare(labdir, request, scale)
        try:
            return failed if failed is not None else boot(request)
        finally:
            remove_quietly(request.iso_path)  # ~10 MB each; the logs are what count

    ordered = sorted(requests, key=lambda r: -getattr(r, "cost", 0))
    return {request.name: pool.submit(prepare_and_boot, request) for request in ordered}, notes


def finish_boots(requests, futures):
    """{request.name: BootOutcome} of start_boots' futures, once all are done."""
    try:
        return {name: future.result() for name, future in futures.items()}
    except KeyboardInterrupt:
        stop_all()  # or the workers would wait for every QEMU to time out
        raise
    finally:
        for request in requests:
            remove_quietly(request.iso_path)


def boot_all(labdir, requests, jobs=2, scale=1.0):
    """{request.name: BootOutcome}: `jobs` at a time, the longest first."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures, notes = start_boots(labdir, requests, pool, scale)
        for note in notes:
            print("  " + note, flush=True)
        return finish_boots(requests, futures)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass
