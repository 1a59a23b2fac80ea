# Success rate of baseline and eda per initial law: one pair of bars per xorscape-anneal file
# (sweep point 0), labelled by its protocol and init_law attributes.
# gnuplot -e "files='a.h5 b.h5'; bin='build'; out='anneal_init_law_gp.png'" plots/anneal_init_law.gp
if (!exists("files")) files = "anneal.h5"
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "anneal_init_law_gp.png"
attr(f, a) = system(sprintf("'%s/xorscape-export' '%s' / --attribute %s | grep -v '^#'", bin, f, a))
ex(f, d) = sprintf("'%s/xorscape-export' '%s' %s --format triples | grep -v '^#'", bin, f, d)
data(f) = sprintf("< bash -c \"paste <(%s) <(%s) <(%s)\"", ex(f, "summary/success_rate"), ex(f, "summary/wilson_lo"), ex(f, "summary/wilson_hi"))
set terminal pngcairo size 1100,560 enhanced font "Sans,9"
set output out
set title "Two-ReLU XOR: success per initial law, Wilson 95 % intervals"
set ylabel "success rate [%]"
set yrange [0:110]
set xrange [0:words(files)+1]
set style fill solid 0.7 border -1
set boxwidth 0.35
set grid ytics
set key top left
set xtics rotate by -30 font ",7"
set xtics ()
do for [i=1:words(files)] { set xtics add (sprintf("%s: %s", attr(word(files, i), "protocol"), attr(word(files, i), "init_law")) i) }
plot for [i=1:words(files)] data(word(files, i)) using (i - 0.2 + 0.4*$1):($2 == 0 ? 100*$3 : 1/0):($1 + 1) with boxes \
       lc variable notitle, \
     for [i=1:words(files)] data(word(files, i)) using (i - 0.2 + 0.4*$1):($2 == 0 ? 100*$3 : 1/0):(100*$6):(100*$9) \
       with yerrorbars lc rgb "black" pt 0 notitle
