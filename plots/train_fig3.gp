# Figure 3: drift of the weights and biases of one run (xorscape-train --record full).
# Usage: gnuplot -e "bin='BUILD'; file='train.h5'; out='fig3.png'; run=0" plots/train_fig3.gp
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "train_fig3.png"
if (!exists("run")) run = 0
set terminal pngcairo size 1300,560 enhanced font "Sans,11"
set output out
data = sprintf("< %s/xorscape-export %s /traces/run_%05d/parameters --format matrix | tail -n +3", bin, file, run)
nh = int(system(sprintf("%s/xorscape-export %s --attribute n_hidden", bin, file)))
set logscale x
set format x "10^{%L}"
set xlabel "epoch {/Symbol t}"
set ylabel "parameter value"
set grid
set key outside right
set multiplot layout 1,2
set title "(a) hidden layer"
# Columns: 1 = epoch, then the parameters in /parameter_names order: w1_11 w1_12 ... (2 n_h),
# b1_1 ... (n_h), w2_11 ... (n_h), b2_1.
plot for [i=1:nh] for [j=1:2] data using ($1 > 0 ? $1 : NaN):(column(1 + 2*(i-1) + j)) with lines lw 2 \
       title sprintf("w^{(1)}_{%d%d}", i, j), \
     for [i=1:nh] data using ($1 > 0 ? $1 : NaN):(column(1 + 2*nh + i)) with lines dt 2 lw 2 \
       title sprintf("b^{(1)}_{%d}", i)
set title "(b) output layer"
plot for [i=1:nh] data using ($1 > 0 ? $1 : NaN):(column(1 + 3*nh + i)) with lines lw 2 \
       title sprintf("w^{(2)}_{1%d}", i), \
     data using ($1 > 0 ? $1 : NaN):(column(2 + 4*nh)) with lines dt 2 lw 2 title "b^{(2)}_{1}"
unset multiplot
