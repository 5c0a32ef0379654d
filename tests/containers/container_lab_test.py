#!/usr/bin/python3
"""The container image, tested for real: build it with podman, run the directaccess lab as the
committed containerlab file describes it, run the lab's own checks against it, remove everything.

Steps (each timed): a Debian 12 minbase by debootstrap (cached tarball), imported as
localhost/debian:12; containers/Dockerfile built with the already built sixgate (no compile);
one container per node of containers/directaccess.clab.yml (--network none, privileged as
containerlab runs them, the node's cmd); its links wired as veth pairs between the containers'
namespaces, as containerlab does; each namespace attached under the lab's name
(sglab.directaccess.NODE, lab/lab_names.hpp) so `sixgate lab test directaccess` runs against them
from this host. Exit 77 (skip) only when podman cannot run here.

Usage: container_lab_test.py --sixgate BUILT_BINARY [--repo ROOT]
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from podman_env import BASE_IMAGE, CannotRun, Podman, StepTimes, base_rootfs_tarball  # noqa: E402

LAB = "directaccess"
SKIP = 77


def lab_namespace(node):
    return f"sglab.{LAB}.{node}"  # lab/lab_names.hpp: host_namespace / segment_namespace


def container_name(node):
    return f"clab-{LAB}-{node}"  # containerlab's own naming


def build_image(podman, repo, sixgate, base_tar):
    podman("import", base_tar, BASE_IMAGE, timeout=300)
    context = f"{podman.work}/context"
    os.makedirs(context)
    shutil.copy(f"{repo}/containers/Dockerfile", context)
    # The debug info is 9/10 of the binary; the image does not need it.
    if subprocess.run(["strip", "-o", f"{context}/sixgate", sixgate]).returncode != 0:
        shutil.copy(sixgate, f"{context}/sixgate")
    # Host network for the build only: apt-get in the Dockerfile reaches the Debian mirror.
    podman("build", "--network", "host", "--build-arg", f"BASE_IMAGE={BASE_IMAGE}",
           "--build-arg", "SIXGATE_BINARY=sixgate", "-f", f"{context}/Dockerfile",
           "-t", "sixgate:latest", context, timeout=900)
    size = int(podman("image", "inspect", "--format", "{{.Size}}", "sixgate:latest").strip())
    version = podman("run", "--rm", "--network", "none", "sixgate:latest", "sixgate", "--version").strip()
    print(f"image sixgate:latest: {size / 1e6:.0f} MB, `sixgate --version` in it: {version}")
    if not version.startswith("sixgate "):
        raise RuntimeError(f"unexpected `sixgate --version` output in the image: {version!r}")


def load_clab(repo):
    with open(f"{repo}/containers/{LAB}.clab.yml") as f:
        clab = yaml.safe_load(f)
    topology = clab["topology"]
    defaults = topology.get("defaults", {})
    nodes = {name: dict(defaults, **(node or {})) for name, node in topology["nodes"].items()}
    links = [tuple(endpoint.split(":", 1) for endpoint in link["endpoints"]) for link in topology["links"]]
    return nodes, links


def wait_until_lab_names_free(nodes, seconds=300):
    """The lab's names are ours to attach: waits for a `lab up` of another test to go down."""
    deadline = time.monotonic() + seconds
    while True:
        taken = [lab_namespace(n) for n in nodes if os.path.exists(f"/run/netns/{lab_namespace(n)}")]
        if not taken:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"namespace {taken[0]} exists: a '{LAB}' lab is up on this machine; "
                               f"run `sixgate lab down {LAB}` first")
        print(f"waiting for the '{LAB}' lab that is up here ({taken[0]}) to go down", flush=True)
        time.sleep(10)


def start_lab(podman, repo, attached):
    nodes, links = load_clab(repo)
    wait_until_lab_names_free(nodes)
    for node, spec in nodes.items():
        if spec.get("network-mode") != "none":
            raise RuntimeError(f"node {node}: the export should give network-mode none")
        # containerlab runs linux nodes privileged; the host scripts need it too: they write
        # per-interface sysctls (accept_ra on eth0...) for links that appear after the start,
        # which --sysctl cannot name and which a read-only /proc/sys refuses.
        podman("run", "--detach", "--name", container_name(node), "--hostname", node,
               "--network", "none", "--privileged",
               *[f"--label={key}={value}" for key, value in spec.get("labels", {}).items()],
               spec["image"], *shlex.split(spec["cmd"]))
    for node in nodes:
        pid = podman("inspect", "--format", "{{.State.Pid}}", container_name(node)).strip()
        name = lab_namespace(node)
        subprocess.run(["ip", "netns", "attach", name, pid], check=True, capture_output=True)
        attached.append((name, namespace_identity(f"/run/netns/{name}")))
        with open(f"{podman.work}/namespaces", "a") as record:  # for the sweep after a kill
            record.write(f"{name} {' '.join(map(str, attached[-1][1] or ()))}\n")
    for (node_a, if_a), (node_b, if_b) in links:
        subprocess.run(["ip", "link", "add", if_a, "netns", lab_namespace(node_a), "type", "veth",
                        "peer", "name", if_b, "netns", lab_namespace(node_b)],
                       check=True, capture_output=True)
    print(f"lab {LAB}: {len(nodes)} containers, {len(links)} veth links, namespaces attached")
    return list(nodes)


def require_running(podman, nodes):
    """Every container still runs (a host script that failed has exited): else show its log."""
    for node in nodes:
        state = podman("inspect", "--format", "{{.State.Status}}", container_name(node)).strip()
        if state != "running":
            raise RuntimeError(f"container {container_name(node)} is {state}; its log:\n"
                               f"{podman.logs(container_name(node), 60)}")


def wait_until_ready(podman, repo, nodes, sixgate, seconds=60):
    """As `lab up` waits: every container's sixgate answers with no component still waiting (the
    CLAT waits for its address and the DHCPv4 offer), and every SLAAC host has a global address."""
    specs = load_clab(repo)[0]
    slaac = {node for node in nodes if "accept_ra=2" in specs[node].get("cmd", "")}
    deadline = time.monotonic() + seconds
    while True:
        require_running(podman, nodes)
        waiting = [what for node in nodes for what in _not_ready(podman, node, sixgate, node in slaac)]
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the lab was not ready after {seconds} s: {'; '.join(waiting)}")
        time.sleep(1)


def _not_ready(podman, node, sixgate, slaac):
    pid = podman("inspect", "--format", "{{.State.Pid}}", container_name(node)).strip()
    sockets = [f"/proc/{pid}/root{path}" for path in _control_sockets(pid)]
    for socket_path in sockets:
        result = subprocess.run([sixgate, "status", "--socket", socket_path, "--json"],
                                capture_output=True, text=True, timeout=10)
        if result.returncode != 0:
            return [f"{node}: sixgate does not answer yet"]
        states = [str(c.get("state", "")) for c in json.loads(result.stdout).get("components", {}).values()
                  if isinstance(c, dict)]
        if any(state.startswith("waiting") for state in states):
            return [f"{node}: sixgate {', '.join(states)}"]
    ns = lab_namespace(node)
    if slaac:
        out = subprocess.run(["ip", "-n", ns, "-6", "-j", "address", "show", "scope", "global"],
                             capture_output=True, text=True).stdout
        if not json.loads(out or "[]") or not any(i.get("addr_info") for i in json.loads(out)):
            return [f"{node}: no SLAAC address yet"]
    return []


def _control_sockets(pid):
    """The control sockets the container's sixgate configs name (host scripts write them)."""
    found = []
    directory = f"/proc/{pid}/root/run/sixgate"
    for name in os.listdir(directory) if os.path.isdir(directory) else ():
        if name.endswith(".yaml"):
            with open(f"{directory}/{name}") as f:
                config = yaml.safe_load(f) or {}
            found.append((config.get("control") or {}).get("socket", "/run/sixgate/sixgate.sock"))
    return found


def run_lab_test(sixgate):
    """The lab's own checks (`sixgate lab test`), through the attached namespaces."""
    result = subprocess.run([sixgate, "lab", "test", LAB], capture_output=True, text=True, timeout=600)
    print(result.stdout, end="")
    if result.returncode != 0:
        raise RuntimeError(f"sixgate lab test {LAB} failed ({result.returncode}): {result.stderr.strip()}")


def namespace_identity(path):
    """(device, inode) of a network namespace file: what `ip netns identify` compares."""
    try:
        status = os.stat(path)
        return status.st_dev, status.st_ino
    except OSError:
        return None


def remove_lab(attached):
    # Only our own attachments: if a `lab down` swept them meanwhile and a `lab up` made the
    # names again, those namespaces belong to that lab.
    for name, identity in attached:
        if identity is not None and namespace_identity(f"/run/netns/{name}") == identity:
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sixgate", required=True, help="the built sixgate binary")
    parser.add_argument("--repo", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = parser.parse_args()
    repo, sixgate = os.path.abspath(args.repo), os.path.abspath(args.sixgate)
    if not os.access(sixgate, os.X_OK):
        print(f"FAIL: --sixgate {sixgate} is not an executable: build the sixgate target first")
        return 1

    def interrupted(number, _frame):
        raise KeyboardInterrupt(f"signal {number}")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)

    podman = Podman()
    attached = []
    times = StepTimes()
    try:
        try:
            podman.start()
        except CannotRun as reason:
            print(f"SKIP: podman cannot run here: {reason}")
            return SKIP
        wait_until_lab_names_free(load_clab(repo)[0])
        base_tar = times.run("debootstrap", base_rootfs_tarball, podman.work)
        times.run("build", build_image, podman, repo, sixgate, base_tar)
        nodes = times.run("run", start_lab, podman, repo, attached)
        times.run("ready", wait_until_ready, podman, repo, nodes, sixgate)
        times.run("lab-test", run_lab_test, sixgate)
        print("PASS: the image runs the directaccess lab")
        return 0
    except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        print(f"FAIL: {error}")
        return 1
    except KeyboardInterrupt:
        print("interrupted: cleaning up")
        return 130
    finally:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)  # a second Ctrl-C must not stop the cleanup
        start = time.monotonic()
        remove_lab(attached)
        podman.remove_everything()
        times.seconds["cleanup"] = time.monotonic() - start
        print(f"times: {times.summary()}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
