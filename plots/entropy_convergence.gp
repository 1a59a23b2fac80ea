# ln f against Monte Carlo sweeps for each window of run 0. Variables: dir, out, windows ("0 1 ...").
set terminal pngcairo size 900,620 enhanced font "Sans,11"
set output out
set logscale xy
set format y "10^{%L}"
set xlabel "Monte Carlo sweeps (D steps) of the window's walker"
set ylabel "ln f"
set key top right
set title sprintf("Flat-histogram convergence, n_h = %s, run 0", nh)
plot for [w in windows] sprintf("%s/conv.dat", dir) using ($1 == 0 && $2 == w+0 ? ($3 > 0.1 ? $3 : 0.1) : 1/0):4 \
     with steps lw 2 title sprintf("window %s", w)
