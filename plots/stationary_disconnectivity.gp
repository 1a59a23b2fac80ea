# Disconnectivity graph of an xorscape-stationary file made with --connect yes (gnuplot). Reads the
# line segments and leaf labels plots/stationary_disconnectivity.py writes beside its figure.
# Usage: gnuplot -e "prefix='PREFIX'; out='graph.png'" plots/stationary_disconnectivity.gp
#   (PREFIX as given to stationary_disconnectivity.py -o: PREFIX-segments.dat, PREFIX-leaves.dat)
if (!exists("prefix")) prefix = "stationary-disconnectivity"
if (!exists("out")) out = prefix . "-gnuplot.png"
if (!exists("label")) label = "disconnectivity graph"
segments = prefix . "-segments.dat"
leaves = prefix . "-leaves.dat"
set terminal pngcairo size 1000,500 font "DejaVu Sans,10"
set output out
set title label font ",10"
unset xtics
set ylabel "E (regularised loss)"
set xlabel "minima (labels: census class; red: outside the census)"
stats segments using 2 nooutput
low = STATS_min
stats segments using 4 nooutput
high = STATS_max
stats leaves using 1 nooutput
set xrange [-1:STATS_max + 1]
set yrange [low - 0.08 * (high - low + 1e-3):high]
plot segments using 1:2:($3 - $1):($4 - $2):($5 == 1 ? 0xc0392b : 0x1f3b73) with vectors nohead lw 1.5 lc rgb variable notitle, \
     leaves using 1:2:3 with labels offset 0,-0.8 font ",7" notitle
