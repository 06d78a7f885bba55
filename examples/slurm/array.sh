#!/bin/bash
# A locksim sweep as a Slurm job array: one array task per shard.
#
#   mkdir -p logs   # Slurm opens --output before the script runs
#   JOB=$(sbatch --parsable examples/slurm/array.sh scenarios/netflix-case.yaml)
#   sbatch --dependency=afterok:$JOB --wrap \
#     "node bin/locksim.js merge results/netflix-case --out reports/netflix-case"
#
# Slurm sets SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN;
# `--shard-from-env` turns them into shard (ID - MIN) of COUNT, so `--array=1-8`
# works as well as `--array=0-7`. Use a plain range (lists such as 1,3,9 are
# refused). The array's size is the number of shards; nothing else to change.
# `afterok` on the array's job id waits for every task; `locksim merge` then
# checks that each shard is there exactly once and names any that is missing.
#
# Run from the repository root after `npm ci` (which builds dist/).
#SBATCH --job-name=locksim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=logs/locksim-%A_%a.out
set -euo pipefail

SCENARIO=${1:-scenarios/netflix-case.yaml}
# One folder for all shards: each writes its own partial-I-of-N.json (atomically).
OUT=${OUT:-results/$(basename "$SCENARIO" .yaml)}
mkdir -p "$OUT"

# As many worker threads as CPUs Slurm gave this task; the results do not depend on it.
exec node bin/locksim.js run "$SCENARIO" \
  --shard-from-env \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUT" \
  --quiet
