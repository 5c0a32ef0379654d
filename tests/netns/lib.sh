# Shared helpers for namespace tests in bash; source it: `. tests/netns/lib.sh`.
# sg_netns_create VAR TAG   creates namespace "sg-TAG-$$-N" and stores its name in VAR
# sg_spawn NS CMD...        starts CMD in the background inside NS; killed on cleanup
# sg_cleanup                kills what was started, deletes what was created (runs on EXIT, INT, TERM, HUP)
# sg_netns_reap_stale [PFX] deletes "sg-*-PID-N" namespaces whose PID is dead (left by a SIGKILL)

SG_NETNS_CREATED=()
SG_PIDS=()
SG_NETNS_COUNTER=0

sg_netns_create() {
    local var=$1 tag=$2 name
    name="sg-${tag}-$$-${SG_NETNS_COUNTER}"
    SG_NETNS_COUNTER=$((SG_NETNS_COUNTER + 1))
    SG_NETNS_CREATED+=("$name")  # recorded first: an interrupt right after `add` still cleans it
    ip netns add "$name" || return 1
    printf -v "$var" '%s' "$name"
}

sg_spawn() {
    local ns=$1
    shift
    ip netns exec "$ns" "$@" &
    SG_PIDS+=("$!")
}

sg_netns_delete() {
    local ns=$1 pids
    [ -e "/run/netns/$ns" ] || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip netns del "$ns" 2>/dev/null || true
}

sg_cleanup() {
    local pid ns
    for pid in "${SG_PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    SG_PIDS=()
    for ns in "${SG_NETNS_CREATED[@]}"; do sg_netns_delete "$ns"; done
    SG_NETNS_CREATED=()
}

sg_netns_reap_stale() {
    local prefix=${1:-sg-} ns owner
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $ns in "$prefix"*) ;; *) continue ;; esac
        owner=$(printf '%s\n' "$ns" | sed -n 's/^.*-\([0-9][0-9]*\)-[0-9][0-9]*$/\1/p')
        [ -n "$owner" ] || continue
        kill -0 "$owner" 2>/dev/null && continue
        sg_netns_delete "$ns"
        echo "reaped stale namespace $ns"
    done
}

trap sg_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
