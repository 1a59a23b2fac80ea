#!/usr/bin/env bash
# The bad-input matrix: every tool x (unknown option, unknown name, reversed range, zero and
# negative sizes, NaN and infinity, overflow, missing and malformed files, unwritable folder,
# existing output, absurd thread counts and sizes). Each must exit with status 2 and one line on
# stderr naming the option, before any work: no output file, no temporary file left behind, an
# existing output untouched.
# Usage: e2e_bad_input.sh BIN SRC [TOOL]   (TOOL, e.g. train: only that tool's rows)
set -u
BIN=$(cd "$1" && pwd)
only="${3:-}"
fail=0
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'not an HDF5 file\n' > malformed.h5
printf 'w1_11 = 1\nthis is not a parameter line\n' > malformed.txt
printf 'bogus-option = 3\n' > bad.cfg
printf 'precious\n' > exists.h5
printf '0 0.5 x 1\n' > edges_word.txt
printf '0 0.5 0.5 1\n' > edges_flat.txt
printf '0 0.5 0.9\n' > edges_short.txt

checks=0
# bad TOOL PATTERN ARGS...: status 2, one line containing PATTERN, nothing written.
bad() {
  local tool="$1" pattern="$2"; shift 2
  [ -n "$only" ] && [ "$only" != "$tool" ] && return
  checks=$(( checks + 1 ))
  local before; before=$(ls -A | sort)
  local err; err=$(timeout -k 5 30 "$BIN/xorscape-$tool" "$@" 2>&1 >/dev/null); local status=$?
  local after; after=$(ls -A | sort)
  if [ "$status" != 2 ]; then
    echo "FAIL: xorscape-$tool $*: status $status, expected 2 ($(head -c 300 <<<"$err"))"; fail=1
  elif [ "$(wc -l <<<"$err")" != 1 ]; then
    echo "FAIL: xorscape-$tool $*: more than one line: $err"; fail=1
  elif ! grep -q -- "$pattern" <<<"$err"; then
    echo "FAIL: xorscape-$tool $*: '$err' does not name $pattern"; fail=1
  fi
  if [ "$before" != "$after" ]; then
    echo "FAIL: xorscape-$tool $*: the folder changed: $(diff <(echo "$before") <(echo "$after") | tail -n +2 | tr '\n' ' ')"; fail=1
    # restore the fixture files
    find . -mindepth 1 -maxdepth 1 ! -name malformed.h5 ! -name malformed.txt ! -name bad.cfg ! -name exists.h5 ! -name 'edges_*.txt' -exec rm -rf {} +
  fi
  if [ "$(cat exists.h5)" != precious ]; then echo "FAIL: xorscape-$tool $*: overwrote exists.h5"; fail=1; printf 'precious\n' > exists.h5; fi
}

# Every tool that writes a file.
for t in train converge slice trajectory simplesample wanglandau anneal stationary; do
  extra=()
  [ "$t" = trajectory ] && extra=(--pair b1_1,b2_1 --start 1,1)
  bad "$t" "--bogus"            "${extra[@]}" --bogus -o out.h5
  bad "$t" "--threads"          "${extra[@]}" --threads 0 -o out.h5
  bad "$t" "--threads"          "${extra[@]}" --threads 100000 -o out.h5
  bad "$t" "--threads"          "${extra[@]}" --threads -2 -o out.h5
  bad "$t" "--seed"             "${extra[@]}" --seed -1 -o out.h5
  bad "$t" "--seed"             "${extra[@]}" --seed 1e3 -o out.h5
  bad "$t" "--seed"             "${extra[@]}" --seed 99999999999999999999999 -o out.h5
  bad "$t" "--output"           "${extra[@]}" -o /proc/out.h5
  bad "$t" "--output"           "${extra[@]}" -o no-such-folder/out.h5
  bad "$t" "--output"           "${extra[@]}" -o "$work"
  bad "$t" "--output"           "${extra[@]}" -o exists.h5
  bad "$t" "--config"           "${extra[@]}" --config no-such.cfg -o out.h5
  bad "$t" "bogus-option"       "${extra[@]}" --config bad.cfg -o out.h5
  bad "$t" "--n-hidden"         "${extra[@]}" --n-hidden 0 -o out.h5
  bad "$t" "--n-hidden"         "${extra[@]}" --n-hidden -3 -o out.h5
  bad "$t" "--n-hidden"         "${extra[@]}" --n-hidden 100000 -o out.h5
  bad "$t" "--activation"       "${extra[@]}" --activation softsign -o out.h5
  bad "$t" "--data"             "${extra[@]}" --data and -o out.h5
done
for t in train converge wanglandau anneal stationary simplesample trajectory; do
  extra=()
  [ "$t" = trajectory ] && extra=(--pair b1_1,b2_1 --start 1,1)
  bad "$t" "--resume"           "${extra[@]}" --resume -o out.h5
  bad "$t" "--checkpoint-every" "${extra[@]}" --checkpoint-every 0 -o out.h5
  bad "$t" "--checkpoint-every" "${extra[@]}" --checkpoint-every nan -o out.h5
done

# train
bad train "--eta"           --eta nan -o out.h5
bad train "--eta"           --eta inf -o out.h5
bad train "--eta"           --eta -0.1 -o out.h5
bad train "--epochs"        --epochs 0 -o out.h5
bad train "--epochs"        --epochs -5 -o out.h5
bad train "--seeds"         --seeds 0 -o out.h5
bad train "--seeds"         --seeds 10000000 --record full -o out.h5
bad train "--init"          --init 5:1 -o out.h5
bad train "--init"          --init -1e308:1e308 -o out.h5
bad train "--init"          --init no-such-file.txt -o out.h5
bad train "--init"          --init malformed.txt -o out.h5
bad train "--init"          --init malformed.h5 -o out.h5
bad train "--init"          --init 7 -o out.h5
bad train "--init"          --init w1_99=1 -o out.h5
bad train "--eta-sweep"     --eta-sweep 1:0.1:5 -o out.h5
bad train "--eta-sweep"     --eta-sweep 0.1,nan -o out.h5
bad train "--fit-window"    --fit-window 100:10 -o out.h5
bad train "--optimizer"     --optimizer lbfgs -o out.h5
bad train "--threshold"     --threshold -1 -o out.h5
bad train "--points-per-decade" --points-per-decade 0 -o out.h5

# converge
bad converge "--range"      --range 5:-5 -o out.h5
bad converge "--range"      --range -1e308:1e308 -o out.h5
bad converge "--range"      --range nan:1 -o out.h5
bad converge "--resolution" --resolution 0 -o out.h5
bad converge "--resolution" --resolution 1 -o out.h5
bad converge "--runs"       --runs 0 -o out.h5
bad converge "--runs"       --runs -4 -o out.h5
bad converge "--parameters" --parameters w9_99 -o out.h5
bad converge "--center"     --center no-such.h5 -o out.h5
bad converge "--center"     --center malformed.h5 -o out.h5
bad converge "--center"     --center 6 -o out.h5
bad converge "--eta"        --eta 0 -o out.h5
bad converge "--epochs"     --epochs 0 -o out.h5

# slice
bad slice "--pair"          --pair w1_11,w1_11 -o out.h5
bad slice "--pair"          --pair nope,b2_1 -o out.h5
bad slice "--pairs"         --pairs 'b1_1,b2_1;x,y' -o out.h5
bad slice "--range"         --range 1:-1 -o out.h5
bad slice "--range"         --range -1e308:1e308 -o out.h5
bad slice "--range"         --range inf:1 -o out.h5
bad slice "--resolution"    --resolution 1 -o out.h5
bad slice "--resolution"    --resolution 0x5 -o out.h5
bad slice "--resolution"    --resolution -5 -o out.h5
bad slice "--resolution"    --resolution 100000x100000 -o out.h5
bad slice "--scans"         --batch randomized --scans 0 -o out.h5
bad slice "--bins"          --bins 0 -o out.h5
bad slice "--histogram-max" --histogram-max nan -o out.h5
bad slice "--center"        --center 9 -o out.h5
bad slice "--center"        --center no-such.txt -o out.h5
bad slice "--center"        --center malformed.txt -o out.h5
bad slice "--center"        --center 'w1_11=1e400' -o out.h5
bad slice "--simd"          --simd sse9 -o out.h5
bad slice "--deflate"       --deflate 10 -o out.h5
bad slice "--batch"         --batch sometimes -o out.h5
bad slice "--directions"    --directions sideways -o out.h5
bad slice "--points"        --points '1;2;5' -o out.h5
bad slice "--points"        --directions points --points '1;1;2' -o out.h5
bad slice "--points"        --directions points --points '1' -o out.h5
bad slice "--points"        --directions points --points '1;2;no-such.txt' -o out.h5
bad slice "--points"        --directions random --points '1;2;5' -o out.h5
bad slice "--curvature"     --curvature -o out.h5
bad slice "--line"          --directions pca --line -o out.h5
bad slice "--path"          --directions pca -o out.h5
bad slice "--path"          --directions pca --path no-such.h5 -o out.h5
bad slice "--path"          --directions pca --path malformed.h5 -o out.h5
bad slice "--path"          --path malformed.h5 -o out.h5
bad slice "--direction-file" --directions file -o out.h5
bad slice "--direction-file" --directions file --direction-file malformed.h5 -o out.h5
bad slice "--center"        --directions points --points '1;2;5' --center 2 -o out.h5
bad slice "--scans"         --directions random --scans 3 -o out.h5
bad slice "--pair"          --directions random --pair b1_1,b2_1 -o out.h5
bad slice "--resolution"    --directions random --resolution 20000x20000 -o out.h5
bad slice "--range-y"       --directions random --line --range-y 0:1 -o out.h5
bad slice "--range"         --directions random --range 1e307:1.5e308 -o out.h5
bad slice "--xdmf"          --directions random --line --xdmf -o out.h5
bad slice "--flow-time"     --flow-time 10 -o out.h5
bad slice "--flow-time"     --basins --flow-time 0 -o out.h5
bad slice "--flow-time"     --basins --flow-time inf -o out.h5
bad slice "--flow-evaluations" --basins --flow-evaluations 0 -o out.h5
bad slice "--flow-evaluations" --basins --flow-evaluations nan -o out.h5
bad slice "--threshold"     --basins --threshold -1 -o out.h5
bad slice "--threshold"     --threshold 0.01 -o out.h5
bad slice "--gradient-tolerance" --basins --gradient-tolerance 0 -o out.h5
bad slice "--flow-rtol"     --basins --flow-rtol 2 -o out.h5
bad slice "--flow-atol"     --basins --flow-atol -1e-9 -o out.h5
bad slice "--level-tolerance" --basins --level-tolerance nan -o out.h5
bad slice "--level-tolerance" --directions random --level-tolerance 0.1 -o out.h5
bad slice "--resume"        --resume -o out.h5
bad slice "--checkpoint-every" --directions random --checkpoint-every 5 -o out.h5
bad slice "--checkpoint-every" --basins --checkpoint-every 0 -o out.h5
bad slice "--basins"        --basins --n-hidden 9 -o out.h5
bad slice "--bench"         --basins --bench -o out.h5
bad slice "--scans"         --basins --scans 3 -o out.h5
bad slice "--resume"        --basins --resume -o out.h5

# trajectory
bad trajectory "--start"        --start 1,2 -o out.h5
bad trajectory "--start"        --pair b1_1,b2_1 --start nan,1 -o out.h5
bad trajectory "--start"        --pair b1_1,b2_1 --start 1e308,1e308 --center 'w1_11=1e308,w1_12=1,w1_21=1,w1_22=1,b1_1=1e308,b1_2=1,w2_11=1,w2_12=1,b2_1=1e308' -o out.h5
bad trajectory "--eta"          --pair b1_1,b2_1 --start 1,1 --eta -1 -o out.h5
bad trajectory "--epochs"       --pair b1_1,b2_1 --start 1,1 --epochs 0 -o out.h5
bad trajectory "--into"         --pair b1_1,b2_1 --start 1,1 --into no-such.h5
bad trajectory "--into"         --pair b1_1,b2_1 --start 1,1 --into malformed.h5
bad trajectory "--integrator"   --pair b1_1,b2_1 --start 1,1 --integrator rk4 -o out.h5
bad trajectory "--start-params" --start-params 12 -o out.h5

# simplesample
bad simplesample "--samples"    --samples 0 -o out.h5
bad simplesample "--samples"    --samples 1e16 -o out.h5
bad simplesample "--samples"    --samples nan -o out.h5
bad simplesample "--block"      --block 2000000000 -o out.h5
bad simplesample "--block"      --block 0 -o out.h5
bad simplesample "--box"        --box 1e308 -o out.h5
bad simplesample "--box"        --box -5 -o out.h5
bad simplesample "--box"        --box 10,nope=3 -o out.h5
bad simplesample "--bins"       --bins 0 -o out.h5
bad simplesample "--bins"       --bins 1000000000 -o out.h5
bad simplesample "--fine-until" --fine-bins 10 --fine-until nan -o out.h5
bad simplesample "--output-activation" --output-activation relu -o out.h5
bad simplesample "--bin-edges"  --bin-edges no-such-file.txt -o out.h5
bad simplesample "--bin-edges"  --bin-edges edges_word.txt -o out.h5

# wanglandau
bad wanglandau "--runs"        --runs 0 -o out.h5
bad wanglandau "--runs"        --runs 1000000000 -o out.h5
bad wanglandau "--windows"     --windows 0 -o out.h5
bad wanglandau "--overlap"     --overlap 1.5 -o out.h5
bad wanglandau "--flatness"    --flatness 0 -o out.h5
bad wanglandau "--lnf-final"   --lnf-final 2 -o out.h5
bad wanglandau "--lnf-final"   --lnf-final nan -o out.h5
bad wanglandau "--schedule"    --schedule 1/t2 -o out.h5
bad wanglandau "--box"         --box 1e308 -o out.h5
bad wanglandau "--bins"        --bins 1 -o out.h5
bad wanglandau "--bins"        --bins 2000000000 -o out.h5
bad wanglandau "--output-activation" --output-activation identity -o out.h5
bad wanglandau "--bin-edges"   --bin-edges edges_flat.txt -o out.h5
bad wanglandau "--bin-edges"   --bin-edges edges_short.txt -o out.h5
bad wanglandau "--bin-edges"   --bin-edges malformed.h5 -o out.h5
bad wanglandau "--bin-edges"   --bins 500 --bin-edges edges_flat.txt -o out.h5
bad wanglandau "--bins-from"   --bins-from pilots -o out.h5
bad wanglandau "--compare"     --compare no-such-file.h5 -o out.h5
bad wanglandau "--compare"     --compare malformed.h5 -o out.h5
bad wanglandau "--compare"     --runs 1 --compare malformed.h5 -o out.h5

# anneal
bad anneal "--seeds"       --seeds 0 -o out.h5
bad anneal "--seeds"       --seeds 100000000 --arms all -o out.h5
bad anneal "--epochs"      --epochs 0 -o out.h5
bad anneal "--eta"         --eta 0 -o out.h5
bad anneal "--eta"         --eta nan -o out.h5
bad anneal "--lr"          --lr -1 -o out.h5
bad anneal "--arms"        --arms eda,nope -o out.h5
bad anneal "--arms"        --arms eda,eda -o out.h5
bad anneal "--model"       --model relu3 -o out.h5
bad anneal "--init-scale"  --init-scale -1 -o out.h5
bad anneal "--base-noise"  --base-noise inf -o out.h5
bad anneal "--center"      --center 1 -o out.h5
bad anneal "--traces"      --traces 1000000 --epochs 100000000 -o out.h5
bad anneal "--protocol"    --protocol paper -o out.h5
bad anneal "--init"        --init normal -o out.h5
bad anneal "--init-bias"   --init normal:0.5 -o out.h5
bad anneal "--init-bias"   --init-bias uniform:-1 -o out.h5
bad anneal "--init-file"   --init-file no-such-file.h5 -o out.h5
bad anneal "--adam-beta2"  --adam-beta2 1 -o out.h5
bad anneal "--adam-epsilon" --adam-epsilon 0 -o out.h5
bad anneal "--gate-on"     --gate-on H -o out.h5
bad anneal "--success-cut" --success-cut gte -o out.h5
bad anneal "--arm-epochs"  --arm-epochs baseline=0 -o out.h5
bad anneal "--arm-patience" --arm-patience eda -o out.h5
bad anneal "--loss-floor"  --loss-floor -1 -o out.h5
bad anneal "--constant-noise-match" --constant-noise-match energy -o out.h5
bad anneal "--replicate"   --replicate 100 -o out.h5
bad anneal "--replicate-stream" --base-noise 0.01,0.1 --replicate 10 --replicate-stream 0 -o out.h5

# stationary
bad stationary "--starts"     --starts 0 -o out.h5
bad stationary "--starts"     --starts -10 -o out.h5
bad stationary "--n-hidden"   --n-hidden 7 -o out.h5
bad stationary "--mu"         --mu -1 -o out.h5
bad stationary "--mu"         --mu nan -o out.h5
bad stationary "--reduction"  --reduction max -o out.h5
bad stationary "--distinct"   --distinct 0 -o out.h5
bad stationary "--connect"    --connect sometimes -o out.h5
bad stationary "--connect-displacement" --connect yes --connect-displacement -1 -o out.h5
bad stationary "--continue-mu" --continue-mu 0.5:0.1 -o out.h5
bad stationary "--continue-points" --continue-mu 0.01:0.1 --continue-points 0 -o out.h5
bad stationary "--radius"     --radius -1 -o out.h5
bad stationary "--radius"     --radius 1e308 -o out.h5
bad stationary "--regularise" --regularise biases -o out.h5
bad stationary "--complete-after" --complete-after -1 -o out.h5
bad stationary "--inner-radius" --inner-radius -0.5 -o out.h5
bad stationary "--inner-radius" --inner-radius nan -o out.h5
bad stationary "--degenerate" --degenerate -1e-6 -o out.h5

# export (writes nothing)
bad export "file"        no-such.h5 /x
bad export "file"        malformed.h5 /x
bad export "--format"    --format nope exists.h5 /x
bad export "--stride"    --stride 0 exists.h5 /x
bad export "--bogus"     --bogus exists.h5 /x

echo "e2e_bad_input: $checks checks"
[ "$fail" = 0 ] && echo "e2e_bad_input: all checks passed"
exit $fail
