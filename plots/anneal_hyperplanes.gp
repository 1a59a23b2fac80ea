# The two ReLU units' lines w1 x1 + w2 x2 + b = 0 before (baseline, stuck) and after (eda) a rescue.
# gnuplot -e "file='anneal.h5'; bin='build'; out='anneal_hyperplanes_gp.png'" plots/anneal_hyperplanes.gp
if (!exists("file")) file = "anneal.h5"
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "anneal_hyperplanes_gp.png"
units(which) = system(sprintf("'%s/xorscape-export' '%s' rescue_example/units_%s | grep -v '^#' | tr '\\n' ' '", bin, file, which))
cases = sprintf("< '%s/xorscape-export' '%s' rescue_example/cases", bin, file)
set terminal pngcairo size 1000,500 enhanced font "Sans,10"
set output out
set multiplot layout 1,2
set size ratio -1
set xrange [-2:2]
set yrange [-2:2]
set xlabel "x1"
set ylabel "x2"
set grid
set key bottom left font ",8"
# The line of unit i (words 3i+1..3i+3 = w1 w2 b): x2 = -(w1 x1 + b)/w2.
line(u, i, x) = -(word(u, 3*i+1) * x + word(u, 3*i+3)) / word(u, 3*i+2)
do for [which in "before after"] {
  u = units(which)
  set title (which eq "before" ? "before: baseline's final state (stuck)" : "after: eda's final state (rescued)")
  plot line(u, 0, x) lw 2 lc rgb "#1f77b4" title sprintf("unit 0: %.2f x1 + %.2f x2 + %.2f = 0", word(u,1)+0, word(u,2)+0, word(u,3)+0), \
       line(u, 1, x) lw 2 lc rgb "#ff7f0e" title sprintf("unit 1: %.2f x1 + %.2f x2 + %.2f = 0", word(u,4)+0, word(u,5)+0, word(u,6)+0), \
       cases using 1:($3 > 0.5 ? $2 : 1/0) with points pt 7 ps 2.5 lc rgb "black" title "target 1", \
       cases using 1:($3 > 0.5 ? 1/0 : $2) with points pt 4 ps 2.5 lc rgb "black" title "target 0"
}
unset multiplot
