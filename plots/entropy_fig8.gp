# Figure 8: S(L) - max S, shifted by 5 per curve. Variables: dir, out, curves ("i:n_h i:n_h ...").
set terminal pngcairo size 900,780 enhanced font "Sans,11"
set output out
set xlabel "loss L"
set ylabel "S(L) - max S + 5 x (curve index)"
set xrange [0:1]
set key outside right top
set grid xtics
set xtics 0.25
set title "Microcanonical entropy S(L) for several n_h (shifted vertically)"
n = words(curves)
idx(k) = word(curves, k)[1:strstrt(word(curves, k), ":")-1]
lab(k) = word(curves, k)[strstrt(word(curves, k), ":")+1:]
set palette defined (0 "#440154", 0.5 "#21918c", 1 "#fde725")
unset colorbox
plot for [k=1:n] sprintf("%s/fig8_%s.dat", dir, idx(k)) using 1:2 with lines lw 2 \
     lc palette frac (n > 1 ? (k-1.0)/(n-1) : 0) title sprintf("n_h = %s", lab(k))
