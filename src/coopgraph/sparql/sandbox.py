"""The operating system's limits on a process that runs SPARQL: no network, bounded memory, and
no life beyond its parent.

The query check refuses SERVICE, but it is a parser's judgement; these limits hold whatever the
engine does. A new network namespace has only a loopback interface, and it is down, so no
connection can leave the process, whichever library (Oxigraph's own HTTP client included) opens
it. Linux only; elsewhere, or without the right to make namespaces, `isolate_network` says why
and the caller reports it.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> int:
    """unshare(2): 0, or the errno it failed with."""
    if hasattr(os, "unshare"):  # Python 3.12+
        try:
            os.unshare(flags)
            return 0
        except OSError as exc:
            return exc.errno or -1
    if _libc().unshare(flags) == 0:
        return 0
    return ctypes.get_errno() or -1


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def isolate_network() -> str | None:
    """Move this process (call it before it starts threads) into a network namespace of its own
    with no usable interface. None when done, else the reason it could not be."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux (this is {sys.platform})"
    error = _unshare(CLONE_NEWNET)
    if error == 0:
        return None
    # Without CAP_SYS_ADMIN: a user namespace of our own first, mapping our ids onto themselves,
    # gives the right to make a network namespace inside it.
    uid, gid = os.getuid(), os.getgid()
    second = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if second != 0:
        return (f"cannot make a network namespace ({os.strerror(error)}; with a user namespace: "
                f"{os.strerror(second) if second > 0 else 'failed'})")
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError as exc:  # the namespaces exist: no network either way; ids may read as nobody
        return f"isolated, but the user-id mapping failed ({exc.strerror}); files may be unreadable"
    return None


def network_isolated() -> bool:
    """Whether this process's network is gone: even loopback is unreachable."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        probe.connect(("127.0.0.1", 9))
    except OSError as exc:
        return exc.errno == 101  # ENETUNREACH: not even loopback is up
    finally:
        probe.close()
    return False


def die_with_parent(parent: int) -> None:
    """Be killed when the parent ends (Linux), and end at once if it already has (`parent` is the
    parent's pid as first seen; 1 means it was gone before we looked). The kernel ties this to the
    parent's thread that started us: that thread must live as long as the parent."""
    if sys.platform.startswith("linux"):
        _libc().prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent == 1 or os.getppid() != parent:
        os._exit(0)


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation past it fails, and the process ends."""
    if megabytes <= 0:
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))


def query_isolation(store_spec: str) -> str | None:
    """Whether query workers for this store run without network: None if they do, else why not.
    Tried in a short-lived process, as a worker would (a process cannot leave its namespace)."""
    import subprocess

    from coopgraph.store import server_of

    if server_of(store_spec):
        return "the store is a SPARQL server, which the workers reach over the network"
    probe = ("from coopgraph.sparql.sandbox import isolate_network, network_isolated\n"
             "reason = isolate_network()\n"
             "print(reason or ('ok' if network_isolated() else 'the namespace still reaches a network'))")
    try:
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the isolation probe failed ({exc})"
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    answer = lines[-1] if lines else ""
    return None if answer == "ok" else (answer or f"the isolation probe failed (exit {done.returncode})")
