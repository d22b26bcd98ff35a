"""A one-node SLURM cluster from Debian's packages (munge, slurmctld, slurmd), its state and logs in one directory.

tests/test_slurm.py starts one per test module. By hand (as root), to try the SLURM profile:

    python tests/slurm/cluster.py start /tmp/cluster    # prints the SLURM_CONF to export
    python tests/slurm/cluster.py stop /tmp/cluster

Everything lives under the directory except one symlink, /etc/slurm/slurm.conf -> DIR/slurm.conf: inside a job,
snakemake-executor-plugin-slurm-jobstep (0.6.1) runs the rule through `srun` with every SLURM_* variable but a few
job ids removed, SLURM_CONF included, so that srun only finds the configuration at SLURM's default path. The link
is made only where no /etc/slurm/slurm.conf exists and is removed on stop. See docs/slurm-test.md.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "slurm.conf.in"
SYSTEM_CONF = Path("/etc/slurm/slurm.conf")  # the path Debian's SLURM reads when SLURM_CONF is not set
MARK = "stancemap-slurm"  # in the name of every cluster directory: a link into one is ours
DAEMONS = ("munged", "slurmctld", "slurmd")
PROGRAMS = DAEMONS + ("slurmstepd", "sbatch", "squeue", "srun", "scontrol", "scancel", "sinfo")
APT = "apt-get install -y --no-install-recommends slurmctld slurmd"


class Unavailable(Exception):
    """This machine cannot run the cluster (programs missing, not root, a SLURM configuration already there)."""


def which(program: str) -> str | None:
    # The daemons are in /usr/sbin, which is not on every user's PATH.
    return shutil.which(program, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if which(p) is None]


def check_available() -> None:
    missing = missing_programs()
    if missing:
        raise Unavailable(f"{', '.join(missing)} not installed ({APT})")
    if os.geteuid() != 0:
        raise Unavailable("slurmd must run as root, and the cluster links /etc/slurm/slurm.conf")
    if (SYSTEM_CONF.exists() or SYSTEM_CONF.is_symlink()) and not _stale_link(SYSTEM_CONF):
        raise Unavailable(f"{SYSTEM_CONF} exists: this machine has its own SLURM configuration, left untouched")


def _stale_link(path: Path) -> bool:
    """A link left by a test cluster that was killed before it could stop (its directory is gone)."""
    return path.is_symlink() and MARK in os.readlink(path) and not path.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(none)"


class Cluster:
    """munged, slurmctld and slurmd under `directory` (its name must contain MARK); start() then stop()."""

    def __init__(self, directory: Path):
        self.dir = Path(directory).resolve()
        if MARK not in str(self.dir):
            raise ValueError(f"the cluster directory's path must contain {MARK!r}: {self.dir}")
        self.conf = self.dir / "slurm.conf"
        self.log = self.dir / "log"
        self.pids = self.dir / "pids"
        self.munge_socket: Path | None = None
        self._socket_dir: Path | None = None
        self._procs: dict[str, subprocess.Popen] = {}

    @property
    def env(self) -> dict[str, str]:
        """The environment for SLURM's commands (and for Snakemake: jobs inherit it through sbatch --export=ALL)."""
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def start(self, timeout: float = 60) -> Cluster:
        check_available()
        for sub in ("munge", "state", "spool", "log"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        try:
            self._start_munge()
            self._write_conf()
            self._link_system_conf()
            self._spawn("slurmctld", [which("slurmctld"), "-D", "-f", str(self.conf)])
            self._spawn("slurmd", [which("slurmd"), "-D", "-f", str(self.conf)])
            self._wait_idle(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_munge(self) -> None:
        key = self.dir / "munge/munge.key"
        key.parent.chmod(0o700)
        key.write_bytes(os.urandom(1024))  # what `mungekey -c` writes: random bytes, readable by the owner only
        key.chmod(0o600)
        self.munge_socket = self.dir / "munge/munge.socket"
        if len(str(self.munge_socket)) > 100:  # a Unix socket's path holds at most 107 bytes
            self._socket_dir = Path(tempfile.mkdtemp(prefix=f"{MARK}-munge-"))
            self.munge_socket = self._socket_dir / "munge.socket"
        self._spawn(
            "munged",
            [
                which("munged"),
                "--foreground",
                "--force",
                f"--key-file={key}",
                f"--socket={self.munge_socket}",
                f"--pid-file={self.dir / 'munge/munged.pid'}",
                f"--seed-file={self.dir / 'munge/munged.seed'}",
                f"--log-file={self.log / 'munged.log'}",
            ],
        )
        self._wait(lambda: self.munge_socket.exists(), 10, "munged's socket")

    def _write_conf(self) -> None:
        text = TEMPLATE.read_text().format(
            host=socket.gethostname().split(".")[0],
            ctld_port=_free_port(),
            slurmd_port=_free_port(),
            user=getpass.getuser(),
            munge_socket=self.munge_socket,
            dir=self.dir,
        )
        self.conf.write_text(text)

    def _link_system_conf(self) -> None:
        if _stale_link(SYSTEM_CONF):
            SYSTEM_CONF.unlink()
        SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
        SYSTEM_CONF.symlink_to(self.conf)  # fails, rather than replaces, if one appeared since check_available()

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = open(self.log / f"{name}.out", "ab")  # noqa: SIM115 (the daemon keeps it)
        self._procs[name] = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
        )
        out.close()
        with self.pids.open("a") as f:
            f.write(f"{name} {self._procs[name].pid}\n")

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self._procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited ({proc.returncode}) while waiting for {what}\n{self.logs()}")
            if ready():
                return
            time.sleep(0.3)
        raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}\n{self.logs()}")

    def _wait_idle(self, timeout: float) -> None:
        def idle() -> bool:
            r = self.run(["sinfo", "--noheader", "--partition=standard", "--format=%t"], check=False)
            return r.returncode == 0 and r.stdout.strip() == "idle"

        self._wait(idle, timeout, "the node of partition standard to be idle")

    def run(self, cmd: list[str], check: bool = True) -> subprocess.CompletedProcess:
        """A SLURM command (sinfo, squeue, ...) against this cluster."""
        return subprocess.run(cmd, capture_output=True, text=True, env=self.env, timeout=30, check=check)

    def logs(self) -> str:
        """The end of every daemon's log, for a failure message."""
        return "\n".join(f"--- {p.name}\n{_tail(p)}" for p in sorted(self.log.glob("*")) if p.is_file())

    def stop(self) -> None:
        """Cancel every job, stop the daemons (slurmd, slurmctld, munged), remove the /etc/slurm link. Idempotent."""
        if "slurmctld" in self._procs or self._pids_from_file().get("slurmctld"):
            subprocess.run(["scancel", "--partition=standard"], capture_output=True, env=self.env, timeout=30)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                r = subprocess.run(
                    ["squeue", "--noheader", "--states=RUNNING,PENDING,COMPLETING"],
                    capture_output=True,
                    text=True,
                    env=self.env,
                    timeout=30,
                )
                if r.returncode != 0 or not r.stdout.strip():
                    break
                time.sleep(0.5)
        pids = self._pids_from_file()
        for name in ("slurmd", "slurmctld", "munged"):
            if name in self._procs:
                self._terminate_child(self._procs.pop(name))
            elif name in pids:
                self._terminate_pid(pids[name], name)
        if self.pids.exists():
            self.pids.unlink()
        if SYSTEM_CONF.is_symlink() and (os.readlink(SYSTEM_CONF) == str(self.conf) or _stale_link(SYSTEM_CONF)):
            SYSTEM_CONF.unlink()
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def _pids_from_file(self) -> dict[str, int]:
        if not self.pids.exists():
            return {}
        return {name: int(pid) for name, pid in (line.split() for line in self.pids.read_text().splitlines())}

    @staticmethod
    def _terminate_child(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)

    @staticmethod
    def _terminate_pid(pid: int, name: str) -> None:
        """A daemon started by an earlier `cluster.py start`: signalled only if that pid still runs that daemon."""
        try:
            if name not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                return
            os.kill(pid, signal.SIGTERM)
        except (OSError, ProcessLookupError):
            return
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(argv[1]).resolve()
    if MARK not in str(directory):
        directory = directory / MARK
    cluster = Cluster(directory)
    if argv[0] == "start":
        cluster.start()
        print(f"export SLURM_CONF={cluster.conf}")
    else:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
