# Figure 2: loss against epoch (log-log) for every recorded run of one or more xorscape-train files.
# Usage: gnuplot -e "bin='BUILD'; files='a.h5 b.h5'; out='fig2.png'" plots/train_fig2.gp
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "train_fig2.png"
set terminal pngcairo size 1100,760 enhanced font "Sans,11"
set output out
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set xlabel "epoch {/Symbol t}"
set ylabel "loss L (full nonrandomized batch)"
set key bottom left
set grid
set title "Convergence of the loss"
export(f, args) = system(sprintf("%s/xorscape-export %s %s", bin, f, args))
# One item per run: FILE@RUN_NAME@LABEL.
items = ""
do for [f in files] {
  n = int(system(sprintf("%s/xorscape-export %s /runs/run | tail -n 1", bin, f))) + 1
  nh = export(f, "--attribute n_hidden")
  do for [i=0:n-1] {
    eta = real(export(f, sprintf("/traces/run_%05d --attribute eta", i)))
    items = items . sprintf(" %s@run_%05d@n_h=%s,η=%g", f, i, nh, eta)
  }
}
field(s, k) = word(system(sprintf("echo '%s' | tr '@' ' '", s)), k)
plot for [it in items] sprintf("< %s/xorscape-export %s /traces/%s/loss", bin, field(it, 1), field(it, 2)) \
     using ($1 > 0 ? $1 : NaN):2 with lines lw 2 title field(it, 3)
