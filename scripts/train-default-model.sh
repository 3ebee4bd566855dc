#!/usr/bin/env bash
# The default model's training pipeline, stage by stage. Every stage is resumable and keeps its
# state outside the repo (~/.cache/tessera); only weights and model cards are committed.
#
#   bash scripts/train-default-model.sh STAGE [MINUTES]
#
# Stages, in order:
#   vq-data    world shards for the VQ (grids of every density)            ~15 min on 2 cores
#   vq         train the VQ for MINUTES (resumes)                          hours
#   vq-decoder train the VQ's decoder alone for MINUTES from models/vq (resumes; codes stay identical,
#              so the LM needs no re-pack); export it with TESSERA_VQ_RUN=$CACHE/runs/vq-decoder vq-export
#   vq-export  export models/vq (ONNX + fp16 weights) and evaluate it
#   lm-data    world shards with token ids for the LM, those the run reads now: 30,000 samples of the starter
#              world (stage 1's layouts, 44 concepts in two styles) at each of $TESSERA_STARTER_SEEDS (5, 15-20),
#              of its second curriculum step (preset starter-2: 3x3 and 4x4 grids too, more counted and freely
#              placed scenes) at each of $TESSERA_STARTER2_SEEDS (21, 22, 23, 27; empty: none), of its third step
#              (preset starter-3: free and counted scenes in the majority) at each of $TESSERA_STARTER3_SEEDS
#              (24, 25, 26, 28, 29; empty: none), and of curriculum
#              stage 1 (objects on the VQ's code grid) at seed 4 only when $TESSERA_PACK reads D or E; shard sets
#              already in the cache are kept (~1 min a set of 30,000 on an idle 2-core machine)
#   lm-pack    encode those shards' images with the frozen VQ: two packs a starter seed (its first and last
#              15,000 samples, 30,000 episodes each: F, G for seed 5, lm-starter-s<seed>a|b for the others,
#              lm-starter2-s<seed>a|b for starter-2's, lm-starter3-s<seed>a|b for starter-3's), and
#              D, E (seed 4's halves) only when read; packs already whole are kept (~4.5 min a pair on an idle
#              machine, 15-30 min each beside training)
#   lm         train the LM for MINUTES on $TESSERA_PACK (default: the packs of every starter, starter-2 and starter-3
#              seed: 5 and 15-20 with starter-2's 21-23 and 27 and starter-3's 24-26 and 28-29 since session 27;
#              without 27-29 in sessions 25-26, without starter-3's in
#              session 24, 5 and 15-17 in sessions 22-23, 5-14 in
#              sessions 20-21, 5-9 in 13-19; F and G alone since session 10; with stage-1 pack D in session 9;
#              D and E, objects on the code grid, in session 8; A,B,C before)
#              (resumes; else starts from models/default/weights.safetensors)
#              as $TESSERA_RANKS DDP ranks (default: one per GPU, else one per core of one thread: that
#              beats one process with a thread per core on CPU; BENCHMARKS.md, "LM training"). Moving averages
#              of the weights, decays $TESSERA_WEIGHT_AVERAGES (0.999,0.9995 since session 21: 0.998 scored above 0.999 at every val
#              since session 20's run step 13,266; a new decay starts from the nearest saved one), are kept beside training, scored at
#              every val (every $TESSERA_EVAL_EVERY_MIN, 20, minutes: each model scored costs ~35 s of one
#              core here, shared by the ranks) and written to RUN/weights-avg<decay>.safetensors: what to export. Through session 19
#              the last 15% of a session decayed lr instead ($TESSERA_COOLDOWN, now 0: session 19's 0.998
#              average of the stable weights scored 0.006 nats under that cooldown's weights, and every step now
#              stays on the run the next session resumes; BENCHMARKS.md, "Moving averages"). Image codes an episode only
#              reads carry loss weight $TESSERA_CONTEXT_IMAGE_LOSS (0.5 since session 6; 0: targets only),
#              and code targets are scored among the codes alone ($TESSERA_CODE_SOFTMAX, 1 since session 6:
#              what the engine samples from inside an image; a third faster per step).
#              $TESSERA_LR sets the stable learning rate (the run began at 2e-3; train_config.json keeps the last one set;
#              a run that starts from the committed weights alone takes $WEIGHTS_LR, the lr they were trained at).
#              Stop it early with kill -TERM (or Ctrl-C): every rank saves at the step it is on.
#   lm-packs   print the packs `lm` would read, comma-joined
#   lm-export  export models/default (ONNX with int8 matmul weights + fp16 weights + config.json) from the run's
#              average that its last val scored lowest (avg<decay>_val_loss in log.jsonl; else its weights.safetensors),
#              or from the weights file given as MINUTES' argument (lm-export FILE)
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=${1:?stage}
MINUTES=${2:-60}
CACHE=${TESSERA_CACHE:-$HOME/.cache/tessera}
PY=${TESSERA_PYTHON:-/usr/bin/python3}
export PYTHONPATH=trainer
TESSERA="node bin/tessera.js"
VQ_SHARDS=$CACHE/shards/world-v1
LM_SHARDS_D=$CACHE/shards/lm-stage1-aligned
LM_SHARDS_S=$CACHE/shards/lm-starter
VQ_RUN=${TESSERA_VQ_RUN:-$CACHE/runs/vq-default}
LM_RUN=$CACHE/runs/lm-default
PACK_D=$CACHE/packs/lm-stage1-d
PACK_E=$CACHE/packs/lm-stage1-e
PACK_F=$CACHE/packs/lm-starter-f
PACK_G=$CACHE/packs/lm-starter-g
# What `lm` trains on: one pack or several joined (A,B,C); the first pack's held-out episodes are val.
# Packs D and E since session 8: their objects sit on the code grid, so each has one code pattern to
# learn instead of one per sub-code shift (bench/code-alignment.ts; BENCHMARKS.md). Since session 9
# mostly the starter world (F, G: 88 concept × style pictures instead of ~1,400: each recurs ~16× as often as in D), with D
# so that the other core concepts were not forgotten; since session 10 the starter packs alone, until the starter
# world's objects can be named (add D back with TESSERA_PACK=...,$PACK_D); F's held-out episodes are val.
# Every pack holds the VQ's canonical codes since session 10 (models/vq/MODEL_CARD.md): packs made before
# then must be made again.
# Since session 13 the starter world at seeds 5-9 (300,000 episodes): by then F and G's 60,000 had each been
# seen ~6 times, and the drawn codes cost 0.81 nats on F's held-out episodes against 0.54 on its training
# ones (`lm heldout --split train|val`; models/default/MODEL_CARD.md). Fresh scenes cost ~4 min a seed.
# Since session 20 seeds 10-14 too (600,000 episodes): after ~1.4 passes over seeds 5-9 a drawn code still
# cost 0.515 nats on F's held-out episodes against 0.423 on its training ones.
# Since session 22 seed 5 (F, G: the val set and the held-out figures every session is compared on) with three
# seeds never read before, 15-17 (240,000 episodes): seeds 5-9 had been read ~2.4 times and 10-14 ~0.4, and a
# drawn code cost 0.481 nats on F's held-out episodes against 0.416 on its training ones, so unseen scenes were
# chosen over re-reads (no A/B); a fresh machine builds four seeds in ~25 min instead of ten in ~45
# (TESSERA_STARTER_SEEDS="5 6 7 8 9 10 11 12 13 14" reads the old ones).
# Since session 24 seeds 18-20 too (unseen scenes again: 15-17 had been read ~1.6 times), and the curriculum's
# second step at seeds 21-23: 3x3 and 4x4 grids (the sixteen-object prompt is 4x4; stage 1 never drew more than
# 2x2) and twice the counted and freely placed scenes (GenEval's two-object, counting, position and binding
# cases), six packs in twenty.
# Since session 25 the third step at seeds 24-26: free and counted scenes 70 % of its scenes, since GenEval's
# multi-object categories stayed far under what the VQ allows while the second step's grids were learned.
# Since session 27 starter-2 at seed 27 and starter-3 at 28-29 too: a session reads ~130,000 episodes (~39M
# tokens), so these add weight, not freshness (starter-2's packs had been read ~0.55 times, starter-3's ~0.33).
# The later steps' held-out codes were still falling fast (session 26: starter-2 0.92/0.82 -> 0.79/0.70 nats,
# starter-3 0.89/0.94 -> 0.80/0.83) where F's stood still (0.465 -> 0.466), and GenEval's multi-object and the
# dense 3x3/4x4 cases are drawn from them: the starter's fourteen packs go from 54 % of the mix to 44 %.
# Since session 29 the free step (world preset starter-free) at seeds 30-31: starter-2's scenes placed off the code
# grid, as a user's picture is, for image->text and edit episodes only; the model trained on the grid alone copied
# 58 % of a freely placed edit source's untouched codes against 99 % on the grid (BENCHMARKS.md, "Edits and
# captions of freely placed pictures").
# A fresh machine builds all eighteen seeds in ~95 min; fewer with these four variables.
STARTER_SEEDS=${TESSERA_STARTER_SEEDS-5 15 16 17 18 19 20}
STARTER2_SEEDS=${TESSERA_STARTER2_SEEDS-21 22 23 27}
STARTER3_SEEDS=${TESSERA_STARTER3_SEEDS-24 25 26 28 29}
STARTER_FREE_SEEDS=${TESSERA_STARTER_FREE_SEEDS-30 31}
# The stable lr models/default/weights.safetensors was trained at (since session 18; 5e-4 in 16-17; MODEL_CARD.md).
WEIGHTS_LR=2.5e-4
starter_shards() { if [ "$1" = 5 ]; then echo "$LM_SHARDS_S"; else echo "$CACHE/shards/lm-starter-s$1"; fi; }
starter_packs() { if [ "$1" = 5 ]; then echo "$PACK_F $PACK_G"; else echo "$CACHE/packs/lm-starter-s$1a $CACHE/packs/lm-starter-s$1b"; fi; }
# The later curriculum steps (world preset starter-<step>), their seeds, and a step's shards and packs at a seed.
LATER_STEPS="2 3 free"
step_seeds() { case $1 in 2) echo "$STARTER2_SEEDS" ;; 3) echo "$STARTER3_SEEDS" ;; free) echo "$STARTER_FREE_SEEDS" ;; esac; }
step_shards() { echo "$CACHE/shards/lm-starter$1-s$2"; }
step_packs() { echo "$CACHE/packs/lm-starter$1-s$2a $CACHE/packs/lm-starter$1-s$2b"; }
STARTER_PACKS=$({ for seed in $STARTER_SEEDS; do starter_packs "$seed"; done
                  for step in $LATER_STEPS; do for seed in $(step_seeds "$step"); do step_packs "$step" "$seed"; done; done
                } | tr ' ' '\n' | paste -sd,)
PACKS=${TESSERA_PACK:-$STARTER_PACKS}
reads_stage1() { case ",$PACKS," in *",$PACK_D,"*|*",$PACK_E,"*) return 0 ;; *) return 1 ;; esac; }

case "$STAGE" in
  vq-data)   $TESSERA world build --samples 40000 --per-shard 1000 --seed 1 --preset tokenizer --out "$VQ_SHARDS" ;;
  vq)        $PY -m tessera_trainer.vq train --data "$VQ_SHARDS" --out "$VQ_RUN" --preset default --minutes "$MINUTES" --resume ;;
  vq-decoder) init=(); [ -f "$CACHE/runs/vq-decoder/ckpt.pt" ] || init=(--init-weights models/vq/weights.pt)
             $PY -m tessera_trainer.vq train --data "$VQ_SHARDS" --out "$CACHE/runs/vq-decoder" --minutes "$MINUTES" \
               --resume --freeze-codes "${init[@]}" ;;
  vq-export) $PY -m tessera_trainer.vq export --run "$VQ_RUN" --out models/vq
             $PY -m tessera_trainer.vq eval --run "$VQ_RUN" --data "$VQ_SHARDS" ;;
  lm-data)   # The shards the run reads now (stage 1 on the code grid at seed 4, the starter world at seed 5), each
             # built only when the cache lacks it (into a .partial folder, renamed when whole). Seeds 2 and 3
             # (packs A-C) were read until session 8: their commands are in models/default/MODEL_CARD.md.
             build() { [ -d "$3" ] && { echo "kept $3"; return; }; rm -rf "$3.partial"
                       $TESSERA world build --samples 30000 --per-shard 2000 --seed "$1" --preset "$2" \
                         --tokenizer models/default/tokenizer.json --out "$3.partial" && mv "$3.partial" "$3"; }
             # Stage 1 (seed 4) only when the run reads D or E: a fresh cache need not spend ~4 min on it.
             reads_stage1 && build 4 stage-1 "$LM_SHARDS_D"
             for seed in $STARTER_SEEDS; do build "$seed" starter "$(starter_shards "$seed")"; done
             for step in $LATER_STEPS; do for seed in $(step_seeds "$step"); do build "$seed" "starter-$step" "$(step_shards "$step" "$seed")"; done; done ;;
  lm-pack)   $TESSERA model config --preset default --tokenizer models/default/tokenizer.json --out models/default
             # Each shard set's halves as two packs of 30,000 episodes, packed side by side at one thread each
             # (~3 min a pair on an idle 2-core machine); a pack whose pack.json exists is whole and kept.
             pack() { [ -f "$2/pack.json" ] && { echo "kept $2"; return; }
                      TESSERA_THREADS=1 $PY -m tessera_trainer.lm pack --shards "$1" --vq models/vq --config models/default/config.json \
                        --out "$2" --limit 30000 "${@:3}"; }
             if reads_stage1; then
               pack "$LM_SHARDS_D" "$PACK_D" & d=$!; pack "$LM_SHARDS_D" "$PACK_E" --skip-samples 15000 & e=$!; wait $d; wait $e
             fi
             pair() { read -r first second <<< "$2"
                      pack "$1" "$first" & f=$!; pack "$1" "$second" --skip-samples 15000 & g=$!
                      wait $f; wait $g; }
             for seed in $STARTER_SEEDS; do pair "$(starter_shards "$seed")" "$(starter_packs "$seed")"; done
             for step in $LATER_STEPS; do for seed in $(step_seeds "$step"); do pair "$(step_shards "$step" "$seed")" "$(step_packs "$step" "$seed")"; done; done ;;
  lm)        init=(); [ -f "$LM_RUN/ckpt.pt" ] || [ ! -f models/default/weights.safetensors ] || init=(--init-weights models/default/weights.safetensors)
             # A run that starts from the committed weights takes the stable lr they were trained at, not the trainer's
             # from-scratch default (2e-3), unless TESSERA_LR says otherwise; a resumed run keeps its train_config.json's.
             [ ${#init[@]} -eq 0 ] || TESSERA_LR=${TESSERA_LR:-$WEIGHTS_LR}
             # Ranks are started here with torchrun's environment contract: torchrun's own CLI fails
             # on Debian's Python 3.11 + torch 1.13. Rank 0 logs to the terminal, the others to files.
             gpus=$($PY -c "import torch; print(torch.cuda.device_count())")
             RANKS=${TESSERA_RANKS:-$([ "$gpus" -gt 0 ] && echo "$gpus" || nproc)}
             mkdir -p "$LM_RUN"
             # An edit's changed codes weigh 3 since session 29 (batches.py): its copies are learned, and locked edits
             # drew the named cell right 21 % of the time where text->image drew 2x2 cells right 79 % (no A/B).
             # The sample grids draw as the engine does for this model: sampling.json's image guidance and temperature.
             read -r GRID_CFG GRID_T <<< "$($PY -c 'from tessera_trainer.lm.sample_grid import sampling_settings as s; print(*s("models/default/sampling.json"))')"
             # A port the system has just handed out: with one another program holds, rank 0 fails and the
             # other ranks wait on that program forever (torch 1.13's store client has no timeout).
             PORT=${TESSERA_PORT:-$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
             for ((r = RANKS - 1; r >= 0; r--)); do
               log=/dev/stdout; [ "$r" -eq 0 ] || log="$LM_RUN/rank$r.log"
               RANK=$r LOCAL_RANK=$r WORLD_SIZE=$RANKS MASTER_ADDR=127.0.0.1 MASTER_PORT=$PORT \
                 TESSERA_THREADS=${TESSERA_THREADS:-1} $PY -m tessera_trainer.lm train --pack "$PACKS" --config models/default/config.json \
                 --out "$LM_RUN" --minutes "$MINUTES" --cooldown "${TESSERA_COOLDOWN:-0}" \
                 --weight-averages "${TESSERA_WEIGHT_AVERAGES-0.999,0.9995}" --eval-every-min "${TESSERA_EVAL_EVERY_MIN:-20}" \
                 --context-image-loss "${TESSERA_CONTEXT_IMAGE_LOSS:-0.5}" --code-softmax "${TESSERA_CODE_SOFTMAX:-1}" \
                 --edit-change-weight "${TESSERA_EDIT_CHANGE_WEIGHT:-3}" \
                 ${TESSERA_LR:+--lr "$TESSERA_LR"} --cfg-scale "$GRID_CFG" --sample-temperature "$GRID_T" \
                 --resume "${init[@]}" > "$log" 2>&1 &
             done
             wait ;;
  lm-export) # A weights file, not the run folder: given a folder, load_lm reads ckpt.pt, the raw stable state kept
             # for resuming. A second argument exports other weights (another average, an accelerator's).
             # By default the average the run's last val scored lowest (weight_average.best_average_file), else the weights.
             WEIGHTS=${2:-$($PY -c 'import sys; from tessera_trainer.lm.weight_average import best_average_file; print(best_average_file(sys.argv[1]) or "")' "$LM_RUN")}
             WEIGHTS=${WEIGHTS:-$LM_RUN/weights.safetensors}
             # int8 blocks (MatMulNBits): a third faster per step than fp16 at a KL of 1e-5 nats (BENCHMARKS.md).
             $PY -m tessera_trainer.lm export --config models/default/config.json --weights "$WEIGHTS" --out models/default --dtype int8
             [ "$(realpath "$WEIGHTS")" = "$(realpath models/default/weights.safetensors)" ] || cp "$WEIGHTS" models/default/weights.safetensors ;;
  lm-packs)  echo "$PACKS" ;;  # the packs `lm` reads, comma-joined (scripts/accelerator-train.sh carries them)
  *) echo "unknown stage $STAGE" >&2; exit 2 ;;
esac
