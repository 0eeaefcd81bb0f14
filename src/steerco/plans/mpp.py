"""Microsoft Project .mpp files, read through MPXJ where a Java runtime is installed.

MPXJ (https://www.mpxj.org, LGPL) is the only real reader of the binary .mpp format. Its Python
package ``mpxj`` ships MPXJ's jars and drives them through JPype, so this optional reader needs
the ``mpxj`` and ``JPype1`` packages and a Java runtime (11 or newer: JPype's own jar needs 9+).
:func:`mpp_support` says whether all three are there and, when not, what to do instead;
:func:`mpp_to_mspdi` turns a file into Microsoft Project XML (MSPDI), which the ordinary import
then reads with :func:`steerco.engine.interop.mspdi.read_mspdi`.

The JVM never runs in the calling process. JPype starts one JVM per process and it cannot be
restarted once shut down; it holds hundreds of megabytes for the life of a web worker; and a
hostile file that crashes or hangs it would take the worker with it. Each conversion therefore
runs this file as a script in a child Python (``python -I mpp.py convert IN OUT``), in a private
temporary directory with a trimmed environment, a heap cap, a file-size cap and a timeout, and
every way it can fail comes back as :class:`MppError` with a sentence a user can act on.

Plain Python: no Django, and JPype is imported only in the child.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
#: The XML written for one file may not exceed this (read_mspdi refuses more than 50 MB anyway).
MAX_OUTPUT_BYTES = 50 * 1024 * 1024
MIN_JAVA = 11
JVM_HEAP = "1g"
PROBE_TIMEOUT_S = 60.0

SAVE_AS_XML = "Save the plan from Microsoft Project as XML (File › Save As › XML) and import that."

# Exit codes of the child; anything else (a crash, a signal) is reported as unexpected.
_EXIT_USAGE = 2
_EXIT_UNREADABLE = 3
_EXIT_SETUP = 4
# The child's last word to the parent: one line on stderr after this prefix.
_MESSAGE_PREFIX = "steerco-mpp: "

_READER = "org.mpxj.reader.UniversalProjectReader"
_WRITER = "org.mpxj.mspdi.MSPDIWriter"


@dataclass(frozen=True, slots=True)
class MppSupport:
    """Whether .mpp files can be read here; ``reason`` says why not (or what reads them)."""

    available: bool
    reason: str


class MppError(ValueError):
    """An .mpp file could not be converted; the message says why and what to do instead."""


# --------------------------------------------------------------------------- what is installed
def _java_major(home: Path) -> int | None:
    """Java's major version from the ``release`` file every JDK/JRE 9+ (and most 8s) carry."""
    try:
        text = (home / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)(?:\.(\d+))?', text, re.MULTILINE)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0_392" is Java 8


def _has_libjvm(home: Path) -> bool:
    candidates = ("lib/server/libjvm.so", "lib/server/libjvm.dylib", "bin/server/jvm.dll")
    return any((home / name).is_file() for name in candidates)


def _check_java_home(home: Path, found_as: str) -> None:
    if not ((home / "bin" / "java").exists() or (home / "bin" / "java.exe").exists()):
        raise MppError(
            f"{found_as} is not a Java installation (it has no bin/java). Point JAVA_HOME at "
            f"Java {MIN_JAVA} or newer, or put its java on PATH. {SAVE_AS_XML}"
        )
    major = _java_major(home)
    if major is not None and major < MIN_JAVA:
        raise MppError(
            f"Reading .mpp files needs Java {MIN_JAVA} or newer; {found_as} is Java {major}. "
            f"Install a newer Java runtime. {SAVE_AS_XML}"
        )
    if not _has_libjvm(home):
        raise MppError(
            f"{found_as} has no JVM library (lib/server/libjvm) that Python can load. Install a "
            f"full Java runtime ({MIN_JAVA} or newer) and point JAVA_HOME at it. {SAVE_AS_XML}"
        )


def java_home() -> Path:
    """The Java runtime the reader will use: ``JAVA_HOME`` when set, else the ``java`` on PATH.

    Raises MppError, naming Java, when there is none or it cannot serve.
    """
    configured = os.environ.get("JAVA_HOME", "").strip()
    if configured:
        home = Path(configured)
        _check_java_home(home, f"JAVA_HOME ({configured})")
        return home
    java = shutil.which("java")
    if java is None:
        raise MppError(
            f"Reading .mpp files needs a Java runtime (Java {MIN_JAVA} or newer); none was found "
            f"(no JAVA_HOME, no java on PATH). {SAVE_AS_XML}"
        )
    # /usr/bin/java is usually a chain of links into the real installation.
    home = Path(java).resolve().parent.parent
    _check_java_home(home, f"The Java runtime at {home}")
    return home


def _check_packages() -> None:
    if importlib.util.find_spec("mpxj") is None:
        raise MppError(
            "Reading .mpp files needs the optional MPXJ reader, which is not installed on this "
            f"server (Python packages mpxj and JPype1). {SAVE_AS_XML}"
        )
    if importlib.util.find_spec("jpype") is None:
        raise MppError(
            "Reading .mpp files needs the Python package JPype1 beside mpxj, and it is not "
            f"installed on this server. {SAVE_AS_XML}"
        )


def _mpxj_version() -> str:
    try:
        return importlib.metadata.version("mpxj")
    except importlib.metadata.PackageNotFoundError:
        return "?"


_probed: dict[tuple[str, str], MppSupport] = {}
_probe_lock = threading.Lock()


def mpp_support(*, refresh: bool = False) -> MppSupport:
    """Whether this server can read .mpp files; never raises.

    Java and the packages are looked up on every call (cheap); the first call that finds them
    also starts a JVM once in a child process to prove it works, and that success is remembered
    for the life of the process (``refresh=True`` probes again). Failures are not remembered.
    """
    try:
        home = java_home()
        _check_packages()
    except MppError as error:
        return MppSupport(available=False, reason=str(error))
    key = (sys.executable, str(home))
    with _probe_lock:
        if refresh:
            _probed.pop(key, None)
        if key not in _probed:
            try:
                with tempfile.TemporaryDirectory(prefix="steerco-mpp-") as scratch:
                    completed = _run_child(
                        ["probe"], home=home, scratch=Path(scratch), timeout_s=PROBE_TIMEOUT_S
                    )
                    _raise_for_failure(completed, timeout_s=PROBE_TIMEOUT_S)
            except MppError as error:
                return MppSupport(available=False, reason=str(error))
            java_version = completed.stdout.decode("utf-8", "replace").strip() or "?"
            _probed[key] = MppSupport(
                available=True,
                reason=f"Reads .mpp files with MPXJ {_mpxj_version()} on Java {java_version}.",
            )
        return _probed[key]


# --------------------------------------------------------------------------- conversion
def mpp_to_mspdi(data: bytes, *, timeout_s: float = 120) -> bytes:
    """Convert an .mpp file (or anything MPXJ's UniversalProjectReader reads) to MSPDI XML.

    MPXJ runs in a child process that is killed after ``timeout_s`` seconds. Raises MppError for
    every failure: reader unavailable, file empty or above :data:`MAX_BYTES`, not a plan MPXJ
    recognises, damaged, protected by a password, too slow, or too large once converted.
    """
    if not data:
        raise MppError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise MppError(
            f"The file is {len(data) / 2**20:.1f} MB; .mpp files are read up to "
            f"{MAX_BYTES // 2**20} MB. {SAVE_AS_XML}"
        )
    home = java_home()
    _check_packages()
    with tempfile.TemporaryDirectory(prefix="steerco-mpp-") as scratch:
        folder = Path(scratch)
        source = folder / "plan.mpp"
        target = folder / "plan.xml"
        source.write_bytes(data)
        completed = _run_child(
            ["convert", str(source), str(target)], home=home, scratch=folder, timeout_s=timeout_s
        )
        _raise_for_failure(completed, timeout_s=timeout_s)
        if not target.is_file():
            raise MppError(f"The MPXJ reader wrote no plan for this file. {SAVE_AS_XML}")
        size = target.stat().st_size
        if size > MAX_OUTPUT_BYTES:
            raise MppError(
                f"The plan converts to {size / 2**20:.0f} MB of XML, more than the "
                f"{MAX_OUTPUT_BYTES // 2**20} MB that can be imported."
            )
        return target.read_bytes()


def _run_child(
    args: list[str], *, home: Path, scratch: Path, timeout_s: float
) -> subprocess.CompletedProcess[bytes] | None:
    """Run this file as a script in an isolated child Python; None when it timed out.

    ``-I`` keeps the child from importing anything but the standard library and installed
    packages (not steerco, not the working directory), and the environment is rebuilt so that
    the web process's secrets (database URL, secret key) never reach code parsing a hostile file.
    """
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "JAVA_HOME": str(home),
        "TMPDIR": str(scratch),
        "HOME": str(scratch),
        "LANG": "C.UTF-8",
    }
    if "SYSTEMROOT" in os.environ:  # Windows cannot start a process without it
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    command = [sys.executable, "-I", str(Path(__file__).resolve()), *args]
    try:
        # The command is this interpreter and this file; only paths we created are arguments.
        return subprocess.run(  # noqa: S603
            command,
            cwd=scratch,  # a JVM crash writes hs_err_pid*.log here, removed with the directory
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None  # subprocess.run has killed the child and its JVM
    except OSError as error:
        raise MppError(f"The .mpp reader could not be started: {error}") from error


def _child_message(stderr: bytes) -> str:
    for line in reversed(stderr.decode("utf-8", "replace").splitlines()):
        if line.startswith(_MESSAGE_PREFIX):
            return line[len(_MESSAGE_PREFIX) :].strip()
    return ""


def _raise_for_failure(
    completed: subprocess.CompletedProcess[bytes] | None, *, timeout_s: float
) -> None:
    if completed is None:
        raise MppError(
            f"Reading the file took longer than {timeout_s:g} seconds and was stopped. "
            f"{SAVE_AS_XML}"
        )
    if completed.returncode == 0:
        return
    message = _child_message(completed.stderr) or "no reason given"
    if completed.returncode == _EXIT_UNREADABLE:
        raise MppError(
            f"This file could not be read as a Microsoft Project plan: {message}. If Microsoft "
            f"Project opens it, save it as XML (File › Save As › XML) and import that."
        )
    # Anything else is the server's problem, not the user's file: keep the details in the log.
    tail = completed.stderr.decode("utf-8", "replace")[-4000:]
    logger.warning("MPXJ child exited with %s: %s", completed.returncode, tail)
    if completed.returncode == _EXIT_SETUP:
        raise MppError(
            f"Reading .mpp files is unavailable on this server: {message}. {SAVE_AS_XML}"
        )
    if completed.returncode < 0:
        what = f"was stopped by signal {-completed.returncode} (out of memory?)"
    else:
        what = f"failed (exit status {completed.returncode})"
    raise MppError(f"The .mpp reader {what} while reading this file. {SAVE_AS_XML}")


# --------------------------------------------------------------------------- the child process
def _say(code: int, message: str) -> int:
    print(_MESSAGE_PREFIX + " ".join(message.split()), file=sys.stderr, flush=True)
    return code


def _java_error(error: BaseException) -> str:
    """The Java exception's own message (``Invalid file format``), without its class or stack."""
    message = None
    get_message = getattr(error, "getMessage", None)
    if get_message is not None:
        try:
            message = get_message()
        except Exception:  # any failure here just means "no message"
            message = None
    text = str(message) if message is not None else str(error)
    return text.strip() or type(error).__name__


def _limit_resources() -> None:
    """No core dumps, and no file (the converted plan included) larger than the output cap."""
    try:
        import resource
    except ImportError:  # not on Windows; the heap cap and timeout still apply
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cap = MAX_OUTPUT_BYTES + 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))


def _start_jvm():
    """Start the JVM with MPXJ's jars; returns the reader and writer classes."""
    import jpype
    import mpxj  # noqa: F401 - importing it puts MPXJ's jars on the class path

    jpype.startJVM(
        f"-Xmx{JVM_HEAP}",
        "-XX:+UseSerialGC",  # one GC thread: a short conversion gains nothing from more
        "-XX:TieredStopAtLevel=1",  # the quick compiler only: most of the run is start-up
        "-XX:-UsePerfData",  # no hsperfdata files outside our temporary directory
        "-Djava.awt.headless=true",
        f"-Djava.io.tmpdir={tempfile.gettempdir()}",
        # MPXJ already refuses DTDs in XML formats; this also forbids any external fetch.
        "-Djavax.xml.accessExternalDTD=",
        "-Djavax.xml.accessExternalSchema=",
        "-Djavax.xml.accessExternalStylesheet=",
        convertStrings=False,
    )
    return jpype.JClass(_READER), jpype.JClass(_WRITER)


def _child_main(argv: list[str]) -> int:
    mode = argv[0] if argv else ""
    if (mode, len(argv)) not in {("probe", 1), ("convert", 3)}:
        return _say(_EXIT_USAGE, "usage: mpp.py probe | mpp.py convert SOURCE TARGET.xml")
    try:
        _limit_resources()
        reader_class, writer_class = _start_jvm()
    except Exception as error:  # whatever stops the JVM, say it in one line
        return _say(_EXIT_SETUP, f"Java could not start MPXJ ({_java_error(error)})")
    if mode == "probe":
        import jpype

        print(jpype.JClass("java.lang.System").getProperty("java.version"), flush=True)
        return 0
    source, target = argv[1], argv[2]
    try:
        project = reader_class().read(source)
    except Exception as error:  # Java exceptions of every kind mean "unreadable"
        return _say(_EXIT_UNREADABLE, _java_error(error))
    if project is None:
        return _say(_EXIT_UNREADABLE, "MPXJ does not recognise its format")
    try:
        writer_class().write(project, target)
    except Exception as error:
        return _say(
            _EXIT_UNREADABLE, f"it was read but could not be converted ({_java_error(error)})"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 1:  # `python -m steerco.plans.mpp`: tell an administrator what works
        support = mpp_support()
        print(support.reason)
        sys.exit(0 if support.available else 1)
    sys.exit(_child_main(sys.argv[1:]))
