#!/usr/bin/env bash
# The project's one test command (CI runs it through .ci/run with CI=true).
#
#  1. makes sure MariaDB server binaries exist (Debian's mariadb-server, installed if missing);
#  2. starts a PRIVATE MariaDB (own data dir under .test-run/, free TCP port on 127.0.0.1, passwordless
#     root over TCP), never the system service, and stops it again on exit, whatever happens;
#  3. exports GUIDE_TEST_MYSQL and GUIDE_TEST_MYSQL_VERSION for the MySQL tests;
#  4. restores, builds (Release, warnings are errors) and runs every test project of Guide.sln;
#  5. runs every suite in scripts/suites/*.sh (tests outside .NET: the TypeScript contracts, the README's
#     walk-through...), each given its results folder and expected to write JUnit XML (*.junit.xml) there;
#  6. summarises the TRX and JUnit results; the LAST line printed is exactly "N passed, N failed, N skipped".
#
# Exit status is non-zero when the build or dotnet test fails, a test fails, no test ran, or (under
# CI=true) any test was skipped: MySQL tests must never skip silently in CI.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RUN_DIR="$ROOT/.test-run"
DATA_DIR="$RUN_DIR/mariadb"
SERVER_LOG="$RUN_DIR/mariadb.log"
RESULTS_DIR="$RUN_DIR/results"

# mariadbd lives in /usr/sbin, which is not on every PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin" ;; esac
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '==> %s\n' "$*"; }

T_START=$(now)
mkdir -p "$RUN_DIR"

# --- 1 and 2. a private MariaDB (installed when missing) --------------------------------------------
# shellcheck source=scripts/mariadb.sh
source "$ROOT/scripts/mariadb.sh"

# --- 3. restore, build, test -----------------------------------------------------------------------
T_BUILD=$(now)
build_rc=0
log "dotnet tool restore / restore / build (Release)"
dotnet tool restore || build_rc=$?
((build_rc != 0)) || dotnet restore Guide.sln || build_rc=$?
((build_rc != 0)) || dotnet build Guide.sln -c Release --no-restore || build_rc=$?
BUILD_SECONDS=$(since "$T_BUILD")

# Each test project writes <project>/TestResults/results.trx (VSTest's default per-project results
# directory). One shared --results-directory would not do: with a fixed LogFileName every project
# overwrites the same file, and LogFilePrefix only adds a one-second timestamp. They are copied to
# .test-run/results/<project>/ afterwards.
T_TEST=$(now)
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
find "$ROOT" \( -name .git -o -name .test-run -o -name node_modules -o -name bin -o -name obj \) -prune \
  -o -type d -name TestResults -print0 | xargs -0 -r rm -rf
test_rc=0
if ((build_rc == 0)); then
  log "dotnet test"
  dotnet test Guide.sln -c Release --no-build --logger "trx;LogFileName=results.trx" \
    --blame-hang-timeout 10m || test_rc=$?
  while IFS= read -r -d '' dir; do
    project=$(basename "$(dirname "$dir")")
    mkdir -p "$RESULTS_DIR/$project"
    cp -r "$dir/." "$RESULTS_DIR/$project/"
  done < <(find "$ROOT" \( -name .git -o -name .test-run -o -name node_modules -o -name bin -o -name obj \) -prune \
            -o -type d -name TestResults -print0)
else
  echo "BUILD FAILED (exit $build_rc): no tests were run" >&2
fi

# --- 5. suites outside .NET (scripts/suites/NAME.sh RESULTS_FOLDER) ----------------------------------
# A suite that exits non-zero without writing a failing JUnit test case counts as one failure.
suite_failures=()
if ((build_rc == 0)); then
  for suite in "$ROOT"/scripts/suites/*.sh; do
    [[ -e $suite ]] || continue
    name=$(basename "$suite" .sh)
    log "suite $name"
    mkdir -p "$RESULTS_DIR/suite-$name"
    suite_rc=0
    bash "$suite" "$RESULTS_DIR/suite-$name" || suite_rc=$?
    if ((suite_rc != 0)); then suite_failures+=("$name (exit $suite_rc)"); fi
  done
fi
TEST_SECONDS=$(since "$T_TEST")

stop_server

# --- 6. summary ------------------------------------------------------------------------------------
# The Python part prints FAILED/SKIPPED detail lines, then "passed failed skipped" as its last line.
summary=$(python3 - "$RESULTS_DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
skipped_tests, failed_tests = [], []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    project = os.path.relpath(path, sys.argv[1]).split(os.sep)[0]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"unreadable TRX {path}: {e}")
        failed += 1
        continue
    for r in root.iterfind(".//t:Results/t:UnitTestResult", ns):
        outcome = r.get("outcome", "")
        name = f"{project}: {r.get('testName')}"
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
            msg = r.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            skipped_tests.append(f"{name}" + (f" ({msg})" if msg else ""))
        else:  # Failed, Error, Timeout, Aborted, Inconclusive...
            failed += 1
            failed_tests.append(f"{name} [{outcome}]")
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.junit.xml"), recursive=True)):
    project = os.path.relpath(path, sys.argv[1]).split(os.sep)[0]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"unreadable JUnit XML {path}: {e}")
        failed += 1
        continue
    for case in root.iter("testcase"):
        name = f"{project}: {case.get('classname', '')} {case.get('name')}".replace(":  ", ": ")
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            failed_tests.append(name)
        elif case.find("skipped") is not None:
            skipped += 1
            skipped_tests.append(name)
        else:
            passed += 1
for t in failed_tests:
    print(f"FAILED  {t}")
for t in skipped_tests:
    print(f"SKIPPED {t}")
print(passed, failed, skipped)
PY
) || summary=$'could not summarise the TRX files\n0 1 0'
details=$(sed '$d' <<<"$summary")
read -r PASSED FAILED SKIPPED <<<"$(tail -n 1 <<<"$summary")"

status=0
[[ -n $details ]] && printf '%s\n' "$details"
if ((build_rc != 0)); then echo "build failed (exit $build_rc)"; status=1; fi
if ((build_rc == 0 && test_rc != 0)); then echo "dotnet test exited with $test_rc"; status=1; fi
if ((FAILED > 0)); then echo "$FAILED test(s) failed"; status=1; fi
for failure in "${suite_failures[@]}"; do
  echo "suite $failure failed"
  status=1
done
if ((${#suite_failures[@]} > 0 && FAILED == 0)); then FAILED=${#suite_failures[@]}; fi
if ((PASSED + FAILED + SKIPPED == 0)); then echo "no test ran"; status=1; fi
if [[ ${CI:-} == true ]] && ((SKIPPED > 0)); then
  echo "CI=true: $SKIPPED skipped test(s) count as failures (see SKIPPED lines above)"
  status=1
fi

echo "timings: mariadb install $INSTALL_SECONDS s (installed now: $INSTALLED_NOW), mariadb init $INIT_SECONDS s + start $READY_SECONDS s," \
  "restore+build $BUILD_SECONDS s, test $TEST_SECONDS s, total $(since "$T_START") s"
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
exit "$status"
