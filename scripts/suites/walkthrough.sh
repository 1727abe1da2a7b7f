#!/usr/bin/env bash
# The README's walk-through, executed so that it cannot rot. Every ```sh block of README.md preceded by the line
# <!-- walkthrough --> runs, in README order, against the API started in simulator mode (scripts/lib/simulator.sh,
# fresh data folder), from the repository's root, with API=$SIMULATOR_URL and `set -euo pipefail`. The blocks
# share one shell session as a reader's terminal would: variables and functions a block defines are there for
# the next one. One JUnit test case per block (failure with the block's output); after a failed block the rest
# are skipped (they depend on it).
#
#   scripts/suites/walkthrough.sh RESULTS_FOLDER     # writes RESULTS_FOLDER/walkthrough.junit.xml
#
# Needs the Release build of the API (scripts/test.sh builds it first), curl, jq, openssl and python3.
# Exit status: non-zero when a block failed or nothing ran.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS=${1:?usage: scripts/suites/walkthrough.sh RESULTS_FOLDER}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
BLOCK_TIMEOUT=${WALKTHROUGH_BLOCK_TIMEOUT:-180}
WORK=$(mktemp -d)
# shellcheck source=scripts/lib/simulator.sh
source "$ROOT/scripts/lib/simulator.sh"
trap 'simulator_stop; rm -rf "$WORK"' EXIT

# --- the marked blocks: WORK/block-NN.sh, their names in WORK/names ------------------------------------
if ! python3 - "$ROOT/README.md" "$WORK" <<'PY'
import os, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
names, i = [], 0
while i < len(lines):
    if lines[i].strip() == "<!-- walkthrough -->":
        fence = i + 1
        if fence >= len(lines) or not re.fullmatch(r"```(sh|bash)\s*", lines[fence]):
            sys.exit(f"README.md:{i + 1}: <!-- walkthrough --> must be followed by a ```sh fence")
        end = fence + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end >= len(lines):
            sys.exit(f"README.md:{fence + 1}: the fence is never closed")
        body = lines[fence + 1:end]
        n = len(names) + 1
        with open(os.path.join(sys.argv[2], f"block-{n:02d}.sh"), "w", encoding="utf-8") as f:
            f.write("\n".join(body) + "\n")
        first = next((l.strip().lstrip("#").strip() for l in body if l.strip()), "")
        names.append(f"block {n:02d} (README.md:{fence + 2}) {first[:90]}")
        i = end
    i += 1
with open(os.path.join(sys.argv[2], "names"), "w", encoding="utf-8") as f:
    f.write("".join(name + "\n" for name in names))
PY
then
  echo "walkthrough: could not extract the README's blocks" >&2
  printf 'block 00 extracting the README blocks\n' >"$WORK/names"
  printf 'fail 0 README.md: a <!-- walkthrough --> marker without a closed ```sh block\n' >"$WORK/result-01"
fi
mapfile -t NAMES <"$WORK/names"

# One block in a fresh bash that first restores the session the earlier blocks left (variables, exports,
# functions), then saves it again for the next one.
cat >"$WORK/run-block.sh" <<'EOF_RUNNER'
__baseline=$(compgen -v)
set -euo pipefail
cd "$WALKTHROUGH_ROOT"
if [[ -f $WALKTHROUGH_STATE ]]; then source "$WALKTHROUGH_STATE"; fi
source "$1"
__vars=$(comm -13 <(sort <<<"$__baseline") <(compgen -v | sort) \
  | grep -Ev '^(__.*|BASH.*|_|COLUMNS|LINES|OLDPWD|PWD|PIPESTATUS|FUNCNAME|LINENO|SECONDS|RANDOM|SRANDOM|EPOCHSECONDS|EPOCHREALTIME|HISTCMD|OPTARG|OPTIND)$' || true)
{ if [[ -n $__vars ]]; then declare -p $__vars; fi; declare -f; } >"$WALKTHROUGH_STATE.next"
mv "$WALKTHROUGH_STATE.next" "$WALKTHROUGH_STATE"
EOF_RUNNER

failed=0
now() { date +%s.%N; }
if [[ ! -f $WORK/result-01 ]]; then
  if ((${#NAMES[@]} == 0)); then
    NAMES=("block 00 finding marked blocks")
    printf 'fail 0 README.md has no <!-- walkthrough --> block\n' >"$WORK/result-01"
  elif ! simulator_start walkthrough 2>"$WORK/start.log"; then
    for ((n = 1; n <= ${#NAMES[@]}; n++)); do printf 'skip 0\n' >"$WORK/result-$(printf %02d "$n")"; done
    { echo "fail 0"; cat "$WORK/start.log"; } >"$WORK/result-01"
  else
    export API=$SIMULATOR_URL WALKTHROUGH_ROOT=$ROOT WALKTHROUGH_STATE=$WORK/state
    echo "walkthrough: ${#NAMES[@]} README blocks against $API"
    for ((n = 1; n <= ${#NAMES[@]}; n++)); do
      id=$(printf %02d "$n")
      if ((failed)); then
        printf 'skip 0\n' >"$WORK/result-$id"
        continue
      fi
      started=$(now)
      timeout "$BLOCK_TIMEOUT" bash "$WORK/run-block.sh" "$WORK/block-$id.sh" >"$WORK/output-$id" 2>&1
      rc=$?
      took=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
      if ((rc == 0)); then
        printf 'pass %s\n' "$took" >"$WORK/result-$id"
        echo "  ok    ${NAMES[n - 1]} (${took} s)"
      else
        ((rc == 124)) && echo "(timed out after $BLOCK_TIMEOUT s)" >>"$WORK/output-$id"
        { printf 'fail %s exit %s\n' "$took" "$rc"; cat "$WORK/output-$id"; } >"$WORK/result-$id"
        echo "  FAIL  ${NAMES[n - 1]} (exit $rc); its output:"
        sed 's/^/        /' "$WORK/output-$id" | tail -n 60
        echo "        (API log: .test-run/simulator-walkthrough/api.log)"
        failed=1
      fi
    done
  fi
fi

# --- JUnit XML -------------------------------------------------------------------------------------------
python3 - "$WORK" "$RESULTS/walkthrough.junit.xml" <<'PY'
import os, sys
import xml.etree.ElementTree as ET
work, target = sys.argv[1], sys.argv[2]
names = [l.rstrip("\n") for l in open(os.path.join(work, "names"), encoding="utf-8") if l.strip()]
suite = ET.Element("testsuite", name="walkthrough")
counts = {"tests": 0, "failures": 0, "skipped": 0}
total = 0.0
for n, name in enumerate(names, start=1):
    path = os.path.join(work, f"result-{n:02d}")
    text = open(path, encoding="utf-8", errors="replace").read() if os.path.exists(path) else "skip 0\n"
    head, _, output = text.partition("\n")
    kind, seconds, *rest = head.split(" ", 2) + ["0"]
    case = ET.SubElement(suite, "testcase", classname="README walk-through", name=name, time=seconds)
    total += float(seconds or 0)
    counts["tests"] += 1
    if kind == "fail":
        counts["failures"] += 1
        failure = ET.SubElement(case, "failure", message=(rest[0] if rest and rest[0] != "0" else "the block failed"))
        failure.text = output
    elif kind == "skip":
        counts["skipped"] += 1
        ET.SubElement(case, "skipped", message="an earlier block failed")
    out = os.path.join(work, f"output-{n:02d}")
    if os.path.exists(out):
        ET.SubElement(case, "system-out").text = open(out, encoding="utf-8", errors="replace").read()
for key, value in counts.items():
    suite.set(key, str(value))
suite.set("time", f"{total:.2f}")
root = ET.Element("testsuites")
root.append(suite)
ET.ElementTree(root).write(target, encoding="utf-8", xml_declaration=True)
print(f"walkthrough: {counts['tests'] - counts['failures'] - counts['skipped']} passed, {counts['failures']} failed, "
      f"{counts['skipped']} skipped -> {target}")
sys.exit(1 if counts["failures"] or counts["tests"] == 0 else 0)
PY
exit $?
