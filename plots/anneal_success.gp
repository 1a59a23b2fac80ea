# Success rate per arm with Wilson 95 % intervals (sweep point `point`, default 0).
# gnuplot -e "file='anneal.h5'; bin='build'; out='anneal_success_gp.png'" plots/anneal_success.gp
if (!exists("file")) file = "anneal.h5"
if (!exists("bin")) bin = "build"
if (!exists("point")) point = 0  # sweep point to draw
if (!exists("out")) out = "anneal_success_gp.png"
# Arm names from the file (xorscape-export prints the string dataset, one per line after its header).
arms = system(sprintf("'%s/xorscape-export' '%s' arm_names | grep -v '^#' | tr '\\n' ' '", bin, file))
# Triples "arm point value"; three of them side by side: rate, lower, upper bound.
ex(d) = sprintf("'%s/xorscape-export' '%s' %s --format triples | grep -v '^#'", bin, file, d)
data = sprintf("< bash -c \"paste <(%s) <(%s) <(%s)\"", ex("summary/success_rate"), ex("summary/wilson_lo"), ex("summary/wilson_hi"))
set terminal pngcairo size 900,480 enhanced font "Sans,10"
set output out
set title "Two-ReLU XOR: success per arm, Wilson 95 % intervals"
set ylabel "success rate [%] (all four right at the end)"
set yrange [0:110]
set xrange [-0.6:words(arms)-0.4]
set style fill solid 0.6 border -1
set boxwidth 0.6
set grid ytics
set key top left
set xtics rotate by -20
plot data using 1:($2 == point ? 100*$3 : 1/0):xticlabels(word(arms, int($1)+1)) with boxes lc rgb "#4a6fa5" title "this run", \
     data using 1:($2 == point ? 100*$3 : 1/0):(100*$6):(100*$9) with yerrorbars lc rgb "black" pt 0 title "Wilson 95 %", \
     '-' using 1:2 with points pt 12 ps 2.5 lc rgb "#dc143c" title "article (50 runs)"
0 58
1 98
e
