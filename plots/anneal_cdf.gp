# Cumulative distribution of convergence epochs per arm (sweep point `point`, default 0).
# gnuplot -e "file='anneal.h5'; bin='build'; out='anneal_cdf_gp.png'" plots/anneal_cdf.gp
if (!exists("file")) file = "anneal.h5"
if (!exists("bin")) bin = "build"
if (!exists("point")) point = 0  # sweep point to draw
if (!exists("out")) out = "anneal_cdf_gp.png"
arms = system(sprintf("'%s/xorscape-export' '%s' arm_names | grep -v '^#' | tr '\\n' ' '", bin, file))
# Triples: epoch, row (= point*arms + arm), fraction converged.
data = sprintf("< '%s/xorscape-export' '%s' summary/convergence_cdf --format triples", bin, file)
set terminal pngcairo size 800,500 enhanced font "Sans,10"
set output out
set title "Runs converged by epoch t (all four right, loss below threshold, to the end)"
set xlabel "epoch t"
set ylabel "runs converged [%]"
set logscale x
set xrange [1:*]
set yrange [0:102]
set grid
set key top left
plot for [a=0:words(arms)-1] data using ($1 < 1 ? 1 : $1):($2 == point*words(arms) + a ? 100*$3 : 1/0) with steps lw 2 title word(arms, a+1)
