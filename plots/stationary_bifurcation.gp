# Bifurcation diagram (classes by Hessian index against mu) of an xorscape-stationary file made
# with --continue-mu (gnuplot). Usage:
#   gnuplot -e "bin='BUILD'; file='stationary.h5'; out='bifurcation.png'" plots/stationary_bifurcation.gp
if (!exists("bin")) bin = "build"
if (!exists("file")) file = "stationary.h5"
if (!exists("out")) out = "stationary-bifurcation-gnuplot.png"
set terminal pngcairo size 900,500 font "DejaVu Sans,10"
set output out
attribute(object, name) = system(sprintf("%s/xorscape-export '%s' %s --attribute %s", bin, file, object, name))
set title sprintf("2-%s-1 %s, %s: census at mu = %s, %s fold ends", attribute("problem", "n_hidden"), \
    attribute("problem", "hidden_activation"), attribute("problem", "data"), \
    sprintf("%g", attribute("continuation", "census_mu") + 0), attribute("continuation", "folds")) font ",9"
data = sprintf("< %s/xorscape-export '%s' continuation/table --format columns", bin, file)
# columns: mu total index_0 index_1 ... index_D
set logscale x
set autoscale xfix
set xlabel "mu (regularisation strength)"
set ylabel "classes of stationary points"
set key left bottom
set yrange [0:*]
columns = int(system(sprintf("%s/xorscape-export '%s' continuation/table --format columns | head -1 | wc -w", bin, file)))
plot data using 1:2 with steps lw 2 lc rgb "black" title "all classes", \
     for [k=3:columns] data using 1:(column(k)) with steps lw 1.3 title (k == 3 ? "minima" : sprintf("index %d", k - 3))
