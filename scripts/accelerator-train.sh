#!/usr/bin/env bash
# One large LM training on a lent accelerator (see the tool library's `device` entry), in two halves:
#
#   here:  bash scripts/accelerator-train.sh prepare [PACK,PACK...]   archives the episode packs (VQ
#          codes + text ids, no images) into .device-carry/, which is ignored by git and named in the
#          device call's `carry`. A call takes at most 64 MiB of working tree and the repo alone is
#          ~42 MB, so packs travel as .tar.xz (8.7 MB for 60k episodes, against 26.6 MB as files;
#          pack_archive.py). The default is what the CPU run reads (`train-default-model.sh lm-packs`;
#          val: F's held-out episodes), 30k episodes each (~2.2 MB each as archives), in the VQ's canonical
#          codes (on a fresh machine `bash scripts/train-default-model.sh lm-data` then `lm-pack` make them).
#          Since session 24 that is twenty packs (~44 MB), since session 25 twenty-six: too many beside the
#          repo, so carry part of the mix, e.g. PACKS="$(TESSERA_STARTER_SEEDS="5 20" TESSERA_STARTER2_SEEDS="21 22"
#          TESSERA_STARTER3_SEEDS="24" bash scripts/train-default-model.sh lm-packs)" (ten packs). prepare prints
#          the total and refuses to go over.
#   there: bash scripts/accelerator-train.sh train MINUTES    trains from models/default's committed
#          weights on the carried packs and leaves weights.safetensors (fp16, cooled), a moving average of
#          the weights (weights-avg0.999.safetensors; WEIGHT_AVERAGES, session 19: an average beat the
#          cooldown on the CPU run), log.jsonl, loss.png and train_config.json in $OUT (each under the
#          16 MiB a returned file may have); export whichever scores the lower avg*_val / val in log.jsonl.
#
# As the CPU run does since session 6: image codes episodes only read are trained at weight
# CONTEXT_IMAGE_LOSS (0.5; batches.py) and code targets are scored among the codes (CODE_SOFTMAX=1).
# Then here: `bash scripts/train-default-model.sh lm-export $OUT/weights.safetensors` (exports them and
# copies them to models/default/), evaluate, and record the run in the model card. Rehearse on CPU first:
#   OUT=/tmp/acc DEVICE=cpu BATCH_TOKENS=8192 bash scripts/accelerator-train.sh train 0.5
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?prepare or train}
CARRY=.device-carry
PY=${TESSERA_PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
export PYTHONPATH=trainer PYTHONUNBUFFERED=1

case "$MODE" in
  prepare)
    PACKS=${2:-$(bash scripts/train-default-model.sh lm-packs)}
    rm -rf "$CARRY"/pack-* && mkdir -p "$CARRY"
    n=0; IFS=, read -ra list <<< "$PACKS"
    for pack in "${list[@]}"; do $PY -m tessera_trainer.lm pack-archive write "$pack" "$CARRY/pack-$n.tar.xz"; n=$((n + 1)); done
    # What a device call sends: tracked files, untracked files git does not ignore, and the carry.
    tree=$( (git ls-files -z; git ls-files -z -o --exclude-standard) | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{s += $1} END {print s + 0}')
    carry=$(du -sb "$CARRY" | cut -f1)
    echo "travels: working tree $((tree / 1048576)) MiB + $CARRY $((carry / 1048576)) MiB of 64 MiB"
    [ $((tree + carry)) -le $((64 * 1048576)) ] || { echo "over the 64 MiB a device call takes: carry fewer packs" >&2; exit 1; } ;;
  train)
    MINUTES=${2:?minutes}
    : "${OUT:?OUT must name the folder whose files come back}"
    RUN=${RUN:-/tmp/tessera-accelerator-run}
    # A GPU step at 131k tokens costs about what a CPU step at 8k does; lr grows with the batch
    # (sqrt rule from the CPU run's 16k-token steps at 5e-4, sessions 16-17: 1.4e-3 here; the CPU run's
    # 2.5e-4 since session 18 anneals a run of ~30M tokens a session, while a GPU's minutes are hundreds of
    # millions, which a higher lr uses better); the last 20% of the time cools lr down.
    # Evaluation every 2 minutes gives the loss curve.
    packs=()
    for archive in $(ls "$CARRY"/pack-*.tar.xz | sort -V); do
      pack=/tmp/tessera-packs/$(basename "$archive" .tar.xz)
      $PY -m tessera_trainer.lm pack-archive read "$archive" "$pack" >/dev/null
      packs+=("$pack")
    done
    PACKS=$(IFS=,; echo "${packs[*]}")
    $PY -m tessera_trainer.lm train --pack "$PACKS" --config models/default/config.json --out "$RUN" \
      --init-weights models/default/weights.safetensors --device "${DEVICE:-cuda}" --minutes "$MINUTES" \
      --batch-tokens "${BATCH_TOKENS:-131072}" --lr "${LR:-1.4e-3}" --warmup-steps "${WARMUP:-100}" \
      --decay-steps "${DECAY_STEPS:-0}" --compile "${COMPILE:-true}" --task-mix "t2i=3,edit=1.5,i2t=1,restyle=0.5,multiturn=1" \
      --cooldown "${COOLDOWN:-0.2}" --eval-every-min 2 --ckpt-every-min 1000 --sample-every-min 1000 --samples 0 \
      --context-image-loss "${CONTEXT_IMAGE_LOSS:-0.5}" --code-softmax "${CODE_SOFTMAX:-1}" \
      --weight-averages "${WEIGHT_AVERAGES:-0.999}" 2>&1 | tee "$OUT/train.log"
    cp "$RUN/weights.safetensors" "$RUN"/weights-avg*.safetensors "$RUN/log.jsonl" "$RUN/train_config.json" "$OUT/"
    [ -f "$RUN/loss.png" ] && cp "$RUN/loss.png" "$OUT/"
    ls -la "$OUT" ;;
  *) echo "unknown mode $MODE (prepare | train)" >&2; exit 2 ;;
esac
