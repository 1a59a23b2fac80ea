# Discovery curve of an xorscape-stationary file: distinct classes found against trials (gnuplot).
# Usage: gnuplot -e "bin='BUILD'; file='stationary.h5'; out='discovery.png'" plots/stationary_discovery.gp
if (!exists("bin")) bin = "build"
if (!exists("file")) file = "stationary.h5"
if (!exists("out")) out = "stationary-discovery-gnuplot.png"
set terminal pngcairo size 800,480 font "DejaVu Sans,10"
set output out
set logscale x
set xlabel "trials (random starts)"
set ylabel "distinct equivalence classes found"
set grid
set key bottom right
set arrow from graph 0, first 61 to graph 1, first 61 nohead dt 3 lc rgb "gray40"
set label "paper: 61 classes" at graph 0.02, first 61 offset 0,0.6 tc rgb "gray30"
attribute(object, name) = system(sprintf("%s/xorscape-export '%s' %s --attribute %s", bin, file, object, name))
found = sprintf("%s classes found, the last new one at trial %s of %s", attribute("summary", "classes"), \
                attribute("summary", "last_new_class_trial"), attribute("summary", "trials"))
plot sprintf("< %s/xorscape-export '%s' discovery/classes_found --format columns", bin, file) \
     using 1:2 with steps lw 2 lc rgb "#1f3b73" title found
