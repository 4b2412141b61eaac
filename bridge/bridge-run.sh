#!/bin/bash
# A documented run of the bridge (docs/bridge.md, "Measured here"): a headless producer, bridge send,
# bridge receive (one or two) and read --verify of each received ring, with every report printed.
#
#   bridge/bridge-run.sh loopback|netns|netns-mdc|netns-multicast [OUTDIR]
#
#   loopback         all on this host's loopback
#   netns            sender in one network namespace, receiver in another, joined by a veth pair
#                    (198.18.77.1 and .2, the RFC 2544 test net; needs root and iproute2)
#   netns-mdc        the same, to two receivers at once (Aeron multi-destination unicast)
#   netns-multicast  the same, through the multicast group 239.255.77.1
#
# Settings, from the environment: SIZE (1280x720), FPS (30), RUN_SECONDS (15: the producer's run),
# SLOTS (4), MTU (bridge send --mtu, e.g. 8192; Aeron's default 1408 when unset), VETH_MTU (1500),
# CODEC (raw), FOREIGN_CLOCK (ns: the sender acts as another host's clock, that far ahead, so that
# the receiver estimates the offset), NB (how to run nanobroker: ./nanobroker from the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?"usage: bridge/bridge-run.sh loopback|netns|netns-mdc|netns-multicast [OUTDIR]"}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
read -r -a nb <<< "${NB:-./nanobroker}"
size=${SIZE:-1280x720}; fps=${FPS:-30}; seconds=${RUN_SECONDS:-15}; slots=${SLOTS:-4}
frames=$((fps * seconds))
ring=nbrun-$$
a=nbrun-a-$$; b=nbrun-b-$$
in_a=(); in_b=()
host=127.0.0.1

cleanup() {
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  for name in "$ring" "$ring-1" "$ring-2"; do rm -f "/dev/shm/$name"; done
}
trap cleanup EXIT

if [ "$mode" != loopback ]; then
  ip netns add "$a"; ip netns add "$b"
  ip link add nbrun-va netns "$a" type veth peer name nbrun-vb netns "$b"
  ip -n "$a" addr add 198.18.77.1/24 dev nbrun-va
  ip -n "$b" addr add 198.18.77.2/24 dev nbrun-vb
  for end in "$a:nbrun-va" "$b:nbrun-vb"; do
    ip -n "${end%%:*}" link set "${end##*:}" mtu "${VETH_MTU:-1500}" up
    ip -n "${end%%:*}" link set lo up
    ip -n "${end%%:*}" route add 224.0.0.0/4 dev "${end##*:}"
  done
  in_a=(ip netns exec "$a"); in_b=(ip netns exec "$b")
  host=198.18.77.2
fi

case "$mode" in
  loopback|netns) receivers=("$host:40461") ;;
  netns-mdc) receivers=("$host:40462" "$host:40463") ;;
  netns-multicast) receivers=("239.255.77.1:40464") ;;
  *) echo "bridge-run: unknown mode $mode" >&2; exit 2 ;;
esac

pids=()
index=0
for endpoint in "${receivers[@]}"; do
  index=$((index + 1))
  "${in_b[@]}" "${nb[@]}" bridge receive "$ring" --from "$endpoint" --as "$ring-$index" --slots "$slots" \
    --seconds $((seconds + 8)) --quiet > "$out/receive-$index.txt" 2> "$out/receive-$index.err" &
  pids+=($!)
done
sleep 3
index=0
for endpoint in "${receivers[@]}"; do
  index=$((index + 1))
  "${nb[@]}" read "$ring-$index" --verify --timeout-s $((seconds + 20)) > "$out/read-$index.txt" 2>&1 &
  pids+=($!)
done
to=(--mtu "${MTU:-0}")
for endpoint in "${receivers[@]}"; do to+=(--to "$endpoint"); done
sender_env=()
[ -n "${FOREIGN_CLOCK:-}" ] && sender_env=(env "JAVA_TOOL_OPTIONS=-Dnanobroker.bridge.foreignClock=$FOREIGN_CLOCK")
"${in_a[@]}" "${sender_env[@]}" "${nb[@]}" bridge send "$ring" "${to[@]}" --codec "${CODEC:-raw}" --seconds $((seconds + 5)) --quiet \
  > "$out/send.txt" 2> "$out/send.err" &
pids+=($!)
sleep 2
"${nb[@]}" produce --headless --name "$ring" --size "$size" --fps "$fps" --slots "$slots" --frames "$frames" --pattern clock \
  > "$out/produce.txt" 2>&1
for pid in "${pids[@]}"; do wait "$pid" || true; done

echo "== bridge-run $mode: $size at $fps fps for $seconds s, codec ${CODEC:-raw}, channel mtu ${MTU:-default}, veth mtu ${VETH_MTU:-1500}${FOREIGN_CLOCK:+, the sender clock ${FOREIGN_CLOCK} ns ahead}"
echo "-- produce"; tail -n 2 "$out/produce.txt"
echo "-- send"; cat "$out/send.txt"; grep -v "^Picked up" "$out/send.err" | tail -n 3 || true
index=0
for endpoint in "${receivers[@]}"; do
  index=$((index + 1))
  echo "-- receive $index ($endpoint)"; cat "$out/receive-$index.txt"; tail -n 3 "$out/receive-$index.err"
  echo "-- read --verify $index"; tail -n 3 "$out/read-$index.txt"
done
