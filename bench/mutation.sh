#!/usr/bin/env bash
# Mutation testing of the rule modules with mutmut 3 (issue 11: tests that would catch a broken rule).
#
#   bench/mutation.sh                 # every module below
#   bench/mutation.sh domain/skm.py   # the modules whose path (under iku_workflow/) is given
#
# Each module runs in its own scratch copy of the working tree (MUTATION_DIR, default
# /tmp/iku-mutation/<module>) with mutmut's only_mutate set to that module and its test selection to the
# tests that exercise it, so a run mutates one module and runs only its tests. Settings shared by every
# run are in pyproject.toml [tool.mutmut]. Workers: MUTATION_JOBS (default 1; the machine is small).
# $MUTATION_DIR/summary.txt collects the counts and the survivors of each module (bench/mutation_survivors.py;
# the diffs in <scratch>/survivors.diff); bench/results/mutation.txt is that summary with a reason for each
# survivor that is left.
# Not part of the test suite or CI: it takes minutes per module.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
JOBS=${MUTATION_JOBS:-1}
BASE=${MUTATION_DIR:-/tmp/iku-mutation}

# module (under iku_workflow/) -> the tests that exercise it
declare -A TESTS=(
  [domain/capaian.py]="tests/domain/test_domain_capaian.py"
  [domain/completion.py]="tests/domain/test_domain_completion.py"
  [domain/dates.py]="tests/domain/test_domain_dates.py"
  [domain/formulation.py]="tests/domain/test_formulation_text.py"
  [domain/formulation_text.py]="tests/domain/test_formulation_text.py"
  [domain/nip.py]="tests/domain/test_domain_nip.py"
  [domain/numbers.py]="tests/domain/test_domain_numbers.py tests/domain/test_domain_number_input.py"
  [domain/registers.py]="tests/domain/test_domain_registers.py"
  [domain/sakip.py]="tests/domain/test_domain_sakip.py"
  [domain/skm.py]="tests/domain/test_domain_skm.py tests/domain/test_domain_skm_response.py"
  [domain/skm_response.py]="tests/domain/test_domain_skm_response.py tests/domain/test_domain_skm.py"
  [domain/text.py]="tests/domain"
  [measures.py]="tests/test_measures.py"
  [workflow/operations.py]="tests/workflow/test_workflow_transitions.py tests/workflow/test_workflow_rules.py tests/workflow/test_review_rule.py tests/workflow/test_review_batches.py tests/workflow/test_review_many_rules.py tests/workflow/test_reopen_request.py tests/workflow/test_workflow_smoke.py tests/survey/test_survey_index.py"
)
ORDER=(domain/capaian.py domain/completion.py domain/dates.py domain/formulation.py domain/formulation_text.py
       domain/nip.py domain/numbers.py domain/registers.py domain/sakip.py domain/skm.py domain/skm_response.py
       domain/text.py measures.py workflow/operations.py)
MODULES=("$@")
[ ${#MODULES[@]} -gt 0 ] || MODULES=("${ORDER[@]}")

for module in "${MODULES[@]}"; do
  tests=${TESTS[$module]:?"no tests listed for $module"}
  name=${module//\//_}; name=${name%.py}
  dir="$BASE/$name"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '^mutants/' | tar -cf - -T -) | tar -xf - -C "$dir"
  {
    printf '\n# written by bench/mutation.sh for this run\n'
    printf 'only_mutate = ["iku_workflow/%s"]\n' "$module"
    printf 'pytest_add_cli_args_test_selection = ['
    sep=""; for t in $tests; do printf '%s"%s"' "$sep" "$t"; sep=", "; done
    printf ']\n'
  } >> "$dir/pyproject.toml"
  echo "== $module (tests: $tests)"
  start=$(date +%s)
  (cd "$dir" && env -u PYTHONPATH "$PY" -m mutmut run --max-children "$JOBS" > run.log 2>&1) || true
  (cd "$dir" && env -u PYTHONPATH "$PY" -m mutmut results --all true > results.txt 2>&1) || true
  echo "== $module (tests: $tests, $(( $(date +%s) - start )) s)" >> "$BASE/summary.txt"
  (cd "$dir" && env -u PYTHONPATH "$PY" "$ROOT/bench/mutation_survivors.py") | tee -a "$BASE/summary.txt"
done
