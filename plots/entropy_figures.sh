#!/usr/bin/env bash
# gnuplot versions of the entropy figures: exports the data with xorscape-export and runs the
# plots/entropy_*.gp scripts. Writes entropy_fig8_gp.png, entropy_wl_vs_ss_gp.png,
# entropy_beta_gp.png and entropy_convergence_gp.png into OUT, and entropy_residual_gp.png when the
# compared WL file has a /comparison (xorscape-wanglandau --compare).
# Usage: plots/entropy_figures.sh BUILD_DIR OUT SIMPLESAMPLE.h5 WANGLANDAU.h5 [MORE_WANGLANDAU.h5 ...]
set -euo pipefail
BIN="$1"; OUT="$2"; SS="$3"; shift 3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_1d() { "$BIN/xorscape-export" "$1" "$2" | grep -v '^#'; }
values() { export_1d "$1" "$2" | awk '{print $NF}'; }  # the values without their scale column
nh() { "$BIN/xorscape-export" "$1" --attribute n_hidden; }
# Figure 8: every WL file, S - max S + 5 i (i in order of n_h).
files=()
for f in "$@"; do files+=("$(nh "$f") $f"); done
i=0; list=""
while read -r n f; do
  export_1d "$f" entropy/S | awk -v s=$((5 * i)) 'NR==FNR{if(NR==1||$2>m)m=$2;next}{print $1, $2-m+s}' - <(export_1d "$f" entropy/S) \
    > "$tmp/fig8_$i.dat"
  export_1d "$f" analysis/beta > "$tmp/beta_$i.dat"
  list="$list $i:$n"
  i=$((i + 1))
done < <(printf '%s\n' "${files[@]}" | sort -n)
# The WL-vs-simple-sampling figure uses the WL file of the simple-sampling file's n_h
# (and so does the convergence figure).
first="$1"
match="$first"
for f in "$@"; do [ "$(nh "$f")" = "$(nh "$SS")" ] && { match="$f"; break; }; done
paste <(export_1d "$match" entropy/S) <(values "$match" entropy/S_std) > "$tmp/wl.dat"
paste <(export_1d "$SS" entropy/S) <(values "$SS" entropy/S_error) > "$tmp/ss.dat"
paste <(values "$match" convergence/run) <(values "$match" convergence/window) \
      <(values "$match" convergence/sweeps) <(values "$match" convergence/ln_f) > "$tmp/conv.dat"
windows=$(awk '$1==0 && $2>=0 {print $2}' "$tmp/conv.dat" | sort -n | uniq | tr '\n' ' ')
gnuplot -e "dir='$tmp'; out='$OUT/entropy_fig8_gp.png'; curves='$list'" "$here/entropy_fig8.gp"
gnuplot -e "dir='$tmp'; out='$OUT/entropy_beta_gp.png'; curves='$list'" "$here/entropy_beta.gp"
gnuplot -e "dir='$tmp'; out='$OUT/entropy_wl_vs_ss_gp.png'; nh='$(nh "$match")'" "$here/entropy_wl_vs_ss.gp"
gnuplot -e "dir='$tmp'; out='$OUT/entropy_convergence_gp.png'; windows='$windows'; nh='$(nh "$match")'" "$here/entropy_convergence.gp"
if "$BIN/xorscape-export" "$match" comparison/residual > /dev/null 2>&1; then
  paste <(export_1d "$match" comparison/residual) <(values "$match" comparison/sigma) > "$tmp/res.dat"
  title=$(printf 'n_h = %s: chi2/dof = %.2f over %s bins, %.1f %% within 2 sigma' "$(nh "$match")" \
    "$("$BIN/xorscape-export" "$match" comparison --attribute chi2_per_dof)" \
    "$(awk 'END{print NR}' "$tmp/res.dat")" \
    "$(awk '{n++; if ($2 < 2*$3 && -$2 < 2*$3) w++} END{print 100*w/n}' "$tmp/res.dat")")
  gnuplot -e "dir='$tmp'; out='$OUT/entropy_residual_gp.png'; title_text='$title'" "$here/entropy_residual.gp"
fi
echo "entropy_figures.sh: wrote gnuplot figures into $OUT"
