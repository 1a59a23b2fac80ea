# Wang-Landau against simple sampling with error bars. Variables: dir, out, nh.
set terminal pngcairo size 900,640 enhanced font "Sans,11"
set output out
set xlabel "loss L"
set ylabel "S(L) = ln g(L)"
set key bottom center
set title sprintf("n_h = %s: Wang-Landau (band: std over runs) vs simple sampling (error bars)", nh)
plot sprintf("%s/wl.dat", dir) using 1:($2-$3):($2+$3) with filledcurves lc rgb "#a0c4e8" notitle, \
     "" using 1:2 with lines lw 2 lc rgb "#1f77b4" title "Wang-Landau + multicanonical", \
     sprintf("%s/ss.dat", dir) using 1:2:($3 < 0.1 ? $3 : 1/0) with yerrorbars pt 7 ps 0.3 lc rgb "#d62728" \
     title "simple sampling (error < 0.1)"
