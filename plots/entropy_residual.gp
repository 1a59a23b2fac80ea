# The agreement test of xorscape-wanglandau --compare: WL - simple sampling over L with the
# combined error bars. Variables: dir (res.dat: L residual sigma), out, title_text.
set terminal pngcairo size 900,520 enhanced font "Sans,11"
set output out
set xlabel "loss L"
set ylabel "S_{WL} - S_{simple}"
set title title_text
set key top right
plot sprintf("%s/res.dat", dir) using 1:(abs($2) < 2*$3 ? $2 : 1/0):3 with yerrorbars pt 7 ps 0.3 lc rgb "black" title "within 2 sigma", \
     "" using 1:(abs($2) >= 2*$3 ? $2 : 1/0):3 with yerrorbars pt 7 ps 0.4 lc rgb "#d62728" title "outside 2 sigma", \
     0 with lines lc rgb "gray" notitle
