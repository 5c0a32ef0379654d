"""A private podman for the container test: its own storage, runtime settings and temp state.

Everything podman makes (images, containers, overlay mounts, events, locks) lives under one work
directory /var/tmp/sg-containers-PID, so the machine's own podman state is never touched and
cleanup is "reset this storage, remove this directory". A work directory whose PID is dead (a
run killed by a ctest timeout) is swept at the next start.
"""

import glob
import os
import re
import resource
import shutil
import subprocess
import time

WORK_PREFIX = "/var/tmp/sg-containers-"
BASE_CACHE_DIR = "/var/cache/sixgate-tests"
BASE_IMAGE = "localhost/debian:12"


class CannotRun(Exception):
    """Podman cannot run here: the test is skipped with this reason."""


def _write_configs(work):
    # crun fails with cgroups in hybrid mode, so runc; ulimits no higher than the hard limits we
    # have (no CAP_SYS_RESOURCE in a container host), see ../shared/notes/containers.md.
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nofile = 1048576 if nofile == resource.RLIM_INFINITY else nofile
    with open(f"{work}/containers.conf", "w") as conf:
        conf.write("[containers]\n"
                   f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc=16384:16384"]\n'
                   "[engine]\n"
                   'runtime = "runc"\n'
                   'cgroup_manager = "cgroupfs"\n'
                   'events_logger = "file"\n'
                   f'tmp_dir = "{work}/libpod"\n'
                   f'static_dir = "{work}/storage/libpod"\n'
                   f'volume_path = "{work}/storage/volumes"\n')
    with open(f"{work}/storage.conf", "w") as conf:
        conf.write("[storage]\n"
                   'driver = "overlay"\n'
                   f'graphroot = "{work}/storage"\n'
                   f'runroot = "{work}/run"\n')


def _unmount_below(path):
    with open("/proc/mounts") as mounts:
        points = [line.split()[1] for line in mounts if line.split()[1].startswith(path + "/")]
    for point in sorted(points, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)


class Podman:
    def __init__(self):
        self.work = f"{WORK_PREFIX}{os.getpid()}"
        self.env = dict(os.environ, CONTAINERS_CONF=f"{self.work}/containers.conf",
                        CONTAINERS_STORAGE_CONF=f"{self.work}/storage.conf")

    def __call__(self, *args, check=True, timeout=120, stdin=None):
        """Runs podman with this private state; returns its stdout."""
        command = ["podman"] + [str(a) for a in args]
        result = subprocess.run(command, capture_output=True, text=True, env=self.env,
                                timeout=timeout, input=stdin)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:4])}... failed ({result.returncode}): "
                               f"{(result.stderr or result.stdout).strip()[-2000:]}")
        return result.stdout

    def logs(self, container, lines=25):
        """The container's last output lines, stdout and stderr interleaved as podman keeps them."""
        result = subprocess.run(["podman", "logs", "--tail", str(lines), container], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
        return result.stdout

    def start(self):
        """Makes the work directory and checks that podman runs; raises CannotRun if not."""
        if os.geteuid() != 0:
            raise CannotRun("needs root (namespaces, veth pairs, a privileged podman)")
        if shutil.which("podman") is None:
            raise CannotRun("podman is not installed (scripts/setup.sh installs it)")
        if shutil.which("runc") is None:
            raise CannotRun("runc is not installed (scripts/setup.sh installs it)")
        sweep_stale_work_directories()
        os.makedirs(f"{self.work}/libpod", exist_ok=True)
        _write_configs(self.work)
        info = subprocess.run(["podman", "info", "--format", "{{.Host.OCIRuntime.Name}}"],
                              capture_output=True, text=True, env=self.env, timeout=120)
        if info.returncode != 0:
            raise CannotRun(f"`podman info` fails: {info.stderr.strip()[-500:]}")

    def remove_everything(self):
        """Containers, images, storage, mounts and the work directory; never raises."""
        if not os.path.isdir(self.work):
            return
        for args in (("rm", "--all", "--force", "--time", "0"), ("rmi", "--all", "--force"),
                     ("system", "reset", "--force")):
            try:
                self(*args, check=False, timeout=120)
            except subprocess.TimeoutExpired:
                pass
        _unmount_below(self.work)
        shutil.rmtree(self.work, ignore_errors=True)


def sweep_stale_work_directories():
    for work in glob.glob(f"{WORK_PREFIX}*"):
        pid = work[len(WORK_PREFIX):]
        if not pid.isdigit() or os.path.exists(f"/proc/{pid}"):
            continue
        for line in _read_lines(f"{work}/namespaces"):  # "NAME DEV INODE" of each attachment
            name, *identity = line.split()
            try:
                status = os.stat(f"/run/netns/{name}")
            except OSError:
                continue
            if identity == [str(status.st_dev), str(status.st_ino)]:
                subprocess.run(["ip", "netns", "delete", name], capture_output=True)
        stale = Podman()
        stale.work = work
        stale.env.update(CONTAINERS_CONF=f"{work}/containers.conf",
                         CONTAINERS_STORAGE_CONF=f"{work}/storage.conf")
        print(f"sweeping the work directory of a killed run: {work}")
        stale.remove_everything()


def _read_lines(path):
    try:
        with open(path) as f:
            return [line.strip() for line in f if line.strip()]
    except OSError:
        return []


def debian_mirror():
    """The Debian mirror this machine's apt uses for bookworm (/etc/apt/sources.list*)."""
    files = glob.glob("/etc/apt/sources.list") + sorted(glob.glob("/etc/apt/sources.list.d/*"))
    for path in files:
        text = open(path).read()
        if path.endswith(".sources"):
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
                if "bookworm" in fields.get("Suites", "").split() and "deb" in fields.get("Types", ""):
                    return fields["URIs"].split()[0]
        else:
            for line in text.splitlines():
                words = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
                if len(words) >= 3 and words[0] == "deb" and words[2] == "bookworm":
                    return words[1]
    raise RuntimeError("no Debian bookworm mirror in /etc/apt/sources.list*: debootstrap needs one")


def base_rootfs_tarball(work):
    """A debootstrap'ed Debian 12 minbase as a tar, cached under /var/cache/sixgate-tests."""
    mirror = debian_mirror()
    cached = f"{BASE_CACHE_DIR}/debian-12-minbase-{re.sub(r'[^A-Za-z0-9]+', '_', mirror)}.tar"
    if os.path.exists(cached):
        print(f"base: cached {cached}")
        return cached
    if shutil.which("debootstrap") is None:
        raise RuntimeError("debootstrap is not installed (scripts/setup.sh installs it)")
    rootfs = f"{work}/rootfs"
    print(f"base: debootstrap --variant=minbase bookworm from {mirror} (about a minute)")
    try:
        result = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", rootfs, mirror],
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"debootstrap failed: {(result.stdout + result.stderr).strip()[-2000:]}")
        os.makedirs(BASE_CACHE_DIR, exist_ok=True)
        partial = f"{cached}.partial-{os.getpid()}"
        subprocess.run(["tar", "-C", rootfs, "-cf", partial, "."], check=True, timeout=300)
        os.replace(partial, cached)
    finally:
        _unmount_below(rootfs)
        shutil.rmtree(rootfs, ignore_errors=True)
        for partial in glob.glob(f"{cached}.partial-{os.getpid()}"):
            os.unlink(partial)
    return cached


class StepTimes:
    """Wall time of each step, printed as one line at the end."""

    def __init__(self):
        self.seconds = {}

    def run(self, name, function, *args):
        start = time.monotonic()
        try:
            return function(*args)
        finally:
            self.seconds[name] = time.monotonic() - start
            print(f"step {name}: {self.seconds[name]:.1f} s", flush=True)

    def summary(self):
        return " ".join(f"{name}={value:.1f}s" for name, value in self.seconds.items())
