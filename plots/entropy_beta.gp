# beta(L) = dS/dL (smoothed). Variables: dir, out, curves ("i:n_h ...").
set terminal pngcairo size 900,620 enhanced font "Sans,11"
set output out
set xlabel "loss L"
set ylabel "{/Symbol b}(L) = dS/dL (smoothed)"
set xrange [0:1]
set key outside right top
set title "Microcanonical inverse temperature"
n = words(curves)
idx(k) = word(curves, k)[1:strstrt(word(curves, k), ":")-1]
lab(k) = word(curves, k)[strstrt(word(curves, k), ":")+1:]
set palette defined (0 "#440154", 0.5 "#21918c", 1 "#fde725")
unset colorbox
plot 0 with lines lc "gray" notitle, \
     for [k=1:n] sprintf("%s/beta_%s.dat", dir, idx(k)) using 1:2 with lines lw 1.5 \
     lc palette frac (n > 1 ? (k-1.0)/(n-1) : 0) title sprintf("n_h = %s", lab(k))
