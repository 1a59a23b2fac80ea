# A rescued run: T, M, I and loss of eda against epoch, with the paired baseline's loss.
# gnuplot -e "file='anneal.h5'; bin='build'; out='anneal_rescue_trace_gp.png'" plots/anneal_rescue_trace.gp
if (!exists("file")) file = "anneal.h5"
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "anneal_rescue_trace_gp.png"
ex(d) = sprintf("< '%s/xorscape-export' '%s' rescue_example/%s", bin, file, d)
set terminal pngcairo size 800,700 enhanced font "Sans,10"
set output out
set multiplot layout 2,1
set title "Rescued run: temperature signals of eda"
set ylabel "T, M, I"
set grid
set key top right
set logscale x
set xrange [1:*]
plot ex("temperature") using ($1+1):2 with lines lw 2 lc rgb "#dc143c" title "T = M I", \
     ex("magnitude") using ($1+1):2 with lines lc rgb "#1f77b4" title "M = |l|_2", \
     ex("imbalance") using ($1+1):2 with lines lc rgb "#2ca02c" title "I"
set title "loss"
set xlabel "epoch + 1"
set ylabel "mean squared error"
set logscale y
set yrange [1e-12:2]
set key bottom left
plot ex("baseline_loss") using ($1+1):($2 > 0 ? $2 : 1/0) with lines lw 2 lc rgb "gray" title "baseline", \
     ex("loss") using ($1+1):($2 > 0 ? $2 : 1/0) with lines lw 2 lc rgb "black" title "eda", \
     ex("noise") using ($1+1):($2 > 0 ? $2 : 1/0) with dots lc rgb "#dc143c" title "noise norm per injection"
unset multiplot
