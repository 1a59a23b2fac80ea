#!/usr/bin/env bash
# Golden run: every tool at small scale with fixed seeds, into OUTDIR. The numeric content of
# these files is the reference that refactoring must reproduce bit for bit (tests/golden/digest.py
# writes it down, tests/golden/compare.py compares two digests).
# Usage: tests/golden/run.sh BIN OUTDIR
# The kernels run at XORSCAPE_SIMD (default here: scalar), so the digest does not depend on
# the processor's vector width; run with XORSCAPE_SIMD=avx512 (or avx2) to compare wide paths.
set -euo pipefail
BIN=$(cd "$1" && pwd); mkdir -p "$2"; OUT=$(cd "$2" && pwd)
export XORSCAPE_SIMD="${XORSCAPE_SIMD:-scalar}"
mkdir -p "$OUT"
rm -f "$OUT"/*.h5 "$OUT"/*.txt "$OUT"/*.log
T=(--threads 2)
run() { local name="$1"; shift; "$@" "${T[@]}" -o "$OUT/$name.h5" > "$OUT/$name.log" 2>&1; }

# training
run train_sgd       "$BIN/xorscape-train" --seeds 3 --epochs 20000 --record full --seed 11
run train_sweep     "$BIN/xorscape-train" --optimizer gd --eta-sweep 0.1,1,3 --seeds 2 --epochs 30000 --record loss --seed 12
run train_adam      "$BIN/xorscape-train" --optimizer adam --eta 0.01 --seeds 2 --epochs 5000 --seed 13
run train_mc0       "$BIN/xorscape-train" --optimizer mc0 --seeds 2 --epochs 5000 --mc-step 0.3 --seed 14
run train_tanh      "$BIN/xorscape-train" --n-hidden 3 --activation tanh --data xor-centered --seeds 2 --epochs 3000 --seed 15
run train_init3     "$BIN/xorscape-train" --init 3 --threshold 0 --epochs 2000 --seed 16
run train_reference "$BIN/xorscape-train" --reference --seeds 2 --epochs 3000 --seed 17
run converge        "$BIN/xorscape-converge" --center 1 --parameters w1_11,b2_1 --range -4:4 --resolution 5 --runs 8 --epochs 4000 --seed 18
run converge_ref    "$BIN/xorscape-converge" --center 2 --parameters w2_12 --range -2:2 --resolution 3 --runs 3 --epochs 2000 --reference --seed 19
# landscape
run slice           "$BIN/xorscape-slice" --pairs 'b1_1,b2_1;w1_11,w2_12' --resolution 41 --range -10:10
run slice_random    "$BIN/xorscape-slice" --pair w2_11,w2_12 --batch randomized --scans 5 --resolution 31x21 --seed 20
run slice_tanh      "$BIN/xorscape-slice" --n-hidden 3 --activation tanh --data xor-centered --center w1_11=1,w1_12=-1,w1_21=0.5,w1_22=0.2,w1_31=-1,w1_32=2,b1_1=0,b1_2=0.1,b1_3=-0.3,w2_11=1,w2_12=2,w2_13=-1,b2_1=0.2 --pairs all --resolution 9
run slice_center3   "$BIN/xorscape-slice" --center 3 --pair w1_12,b1_2 --resolution 17 --deflate 1
run trajectory      "$BIN/xorscape-trajectory" --pair b1_1,b2_1 --start 15,-2 --start -3,10 --integrator both --epochs 200000
run trajectory_full "$BIN/xorscape-trajectory" --start-params 2 --start-params 4 --integrator both --epochs 50000 --threshold 1e-4
cp "$OUT/slice.h5" "$OUT/slice_into.h5"
"$BIN/xorscape-trajectory" --into "$OUT/slice_into.h5" --pair b1_1,b2_1 --start 2,2 --epochs 20000 "${T[@]}" 2>/dev/null
# entropy
run simplesample    "$BIN/xorscape-simplesample" --samples 200000 --bins 100 --seed 21
run simplesample_b  "$BIN/xorscape-simplesample" --n-hidden 3 --box 10,w2=15,b2_1=5 --bins 80 --fine-bins 20 --fine-until 0.05 --samples 100000 --seed 22
run wanglandau      "$BIN/xorscape-wanglandau" --bins 60 --lnf-final 1e-3 --runs 2 --windows 2 --production-sweeps 2000 --round-steps 20000 --seed 23
run wanglandau_1t   "$BIN/xorscape-wanglandau" --n-hidden 1 --bins 40 --lnf-final 1e-3 --runs 1 --windows 1 --schedule 1/t --production-sweeps 0 --round-steps 20000 --seed 24
# annealing
run anneal          "$BIN/xorscape-anneal" --arms all --seeds 20 --epochs 400 --lr 0.001,0.01 --traces 2 --quiet --seed 25
run anneal_network  "$BIN/xorscape-anneal" --model network --arms baseline,eda,restart --seeds 10 --epochs 300 --quiet --seed 26
run anneal_center   "$BIN/xorscape-anneal" --model network --data xor --center 1 --init-scale 0.5 --seeds 6 --epochs 200 --quiet --seed 27
# stationary points
run stationary      "$BIN/xorscape-stationary" --starts 24 --complete-after 0 --inner-radius 0 --seed 28
run stationary_var  "$BIN/xorscape-stationary" --starts 12 --complete-after 0 --inner-radius 0 --homotopy no --reduction mean --output-bias yes --seed 29
# export (text)
(cd "$OUT" && "$BIN/xorscape-export" slice.h5 '/planes/b1_1,b2_1/loss' --format matrix --stride 4 > export_matrix.txt &&
  "$BIN/xorscape-export" train_sgd.h5 /traces/run_00000/loss > export_columns.txt)
