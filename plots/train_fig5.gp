# Figure 5: epoch of convergence against the shift of one initial parameter (xorscape-converge).
# tau_conv = 0 is drawn at 1; shifts that did not converge (tau_conv = -1) are left out.
# Usage: gnuplot -e "bin='BUILD'; file='converge.h5'; out='fig5.png'" plots/train_fig5.gp
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "train_fig5.png"
set terminal pngcairo size 1300,560 enhanced font "Sans,11"
set output out
# The names of the shifted parameters: a string dataset, one per line after the header.
names = system(sprintf("%s/xorscape-export %s /parameter | tail -n +2 | tr '\\n' ' '", bin, file))
np = words(names)
# x y z triples with a blank line after each parameter's row: block k is parameter k.
table = sprintf("< %s/xorscape-export %s /tau_conv --format triples", bin, file)
tau(y) = y < 0 ? NaN : (y < 1 ? 1 : y)
is(k, kind) = word(names, k + 1)[1:1] eq kind
set logscale y
set format y "10^{%L}"
set xlabel "shift {/Symbol D} of the initial value from the optimum"
set ylabel "{/Symbol t}_{conv} (0 drawn at 1)"
set grid
set key outside right noenhanced
set multiplot layout 1,2
set title "(a) weights"
plot for [k=0:np-1] table every :::k::k using 1:(is(k, "w") ? tau($3) : NaN) \
       with linespoints lw 2 pt 7 ps 0.6 title (is(k, "w") ? word(names, k + 1) : "")
set title "(b) biases"
plot for [k=0:np-1] table every :::k::k using 1:(is(k, "b") ? tau($3) : NaN) \
       with linespoints lw 2 pt 7 ps 0.6 title (is(k, "b") ? word(names, k + 1) : "")
unset multiplot
