# Figure 4: hidden and output activations for the four cases of one run (xorscape-train --record full).
# Usage: gnuplot -e "bin='BUILD'; file='train.h5'; out='fig4.png'; run=0" plots/train_fig4.gp
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "train_fig4.png"
if (!exists("run")) run = 0
set terminal pngcairo size 1200,900 enhanced font "Sans,11"
set output out
hidden = sprintf("< %s/xorscape-export %s /traces/run_%05d/hidden --format matrix | tail -n +3", bin, file, run)
output = sprintf("< %s/xorscape-export %s /traces/run_%05d/output --format matrix | tail -n +3", bin, file, run)
nh = int(system(sprintf("%s/xorscape-export %s --attribute n_hidden", bin, file)))
data = system(sprintf("%s/xorscape-export %s --attribute data", bin, file))
cases = data eq "xor" ? "(0,0) (0,1) (1,0) (1,1)" : "(-1,-1) (-1,+1) (+1,-1) (+1,+1)"
set logscale x
set format x "10^{%L}"
set xlabel "epoch {/Symbol t}"
set ylabel "activation"
set yrange [-0.05:1.05]
set grid
set key top left
set multiplot layout 2,2
# hidden: column m * n_h + i after the epoch (the /case_neuron scale), output: column m.
do for [m=0:3] {
  set title sprintf("case (x_1, x_2) = %s", word(cases, m + 1))
  plot for [i=1:nh] hidden using ($1 > 0 ? $1 : NaN):(column(1 + m*nh + i)) with lines lw 2 \
         title sprintf("a^{(1)}_{%d}", i), \
       output using ($1 > 0 ? $1 : NaN):(column(2 + m)) with lines lw 3 lc rgb "black" title "a^{(2)}_1"
}
unset multiplot
