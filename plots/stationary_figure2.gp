# Figure 2 of Coetzee & Stonick from an xorscape-stationary file (gnuplot).
# Usage: gnuplot -e "bin='BUILD'; file='stationary.h5'; out='figure2.png'" plots/stationary_figure2.gp
if (!exists("bin")) bin = "build"
if (!exists("file")) file = "stationary.h5"
if (!exists("out")) out = "stationary-figure2-gnuplot.png"
set terminal pngcairo size 1100,460 font "DejaVu Sans,10"
set output out
attribute(object, name) = system(sprintf("%s/xorscape-export '%s' %s --attribute %s", bin, file, object, name))
set title sprintf("2-%s-1 %s/%s, %s, %s error, mu = %s: %s classes (%s minima, %s saddles) from %s trials", \
    attribute("problem", "n_hidden"), attribute("problem", "hidden_activation"), attribute("problem", "output_activation"), \
    attribute("problem", "data"), attribute("problem", "reduction"), sprintf("%g", attribute("problem", "mu") + 0), \
    attribute("summary", "classes"), attribute("summary", "minima"), attribute("summary", "saddles"), \
    attribute("summary", "trials")) font ",9"
data = sprintf("< %s/xorscape-export '%s' classes/figure_table --format columns", bin, file)
# columns: position class classified_percent index is_minimum probability probability_error loss
set xlabel "equivalence class (sorted by percentage of the four cases classified correctly)"
set ylabel "probability of reaching the class per trial"
stats data using 6 nooutput
top = 1.2 * STATS_max
set yrange [0:top]
set xrange [0.3:STATS_records + 0.7]
set style fill solid 0.9 border lc rgb "black"
set boxwidth 0.85
set key at graph 0.45, graph 0.9
group = 0
set grid ytics
plot data using 1:($5 == 1 ? $6 : 1/0) with boxes lc rgb "#1f3b73" title "minimum", \
     data using 1:($5 == 0 ? $6 : 1/0) with boxes lc rgb "#9ecae1" title "saddle", \
     data using 1:6:7 with yerrorbars pt 7 ps 0.01 lc rgb "#555555" notitle, \
     previous = -1, \
     data using ($1 - 0.45):(top * (0.97 - 0.05 * (group = group + ($3 != previous), group % 2))):(label = ($3 != previous) ? sprintf("%d%% →", $3) : "", previous = $3, label) \
          with labels left font ",9" notitle
