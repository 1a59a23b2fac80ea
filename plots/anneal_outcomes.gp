# Outcome histogram: runs ending at 0, 25, 50, 75, 100 % accuracy, baseline and eda, for one or
# two xorscape-anneal files (e.g. the default and the article protocol), sweep point 0.
# gnuplot -e "file='a.h5'; file2='b.h5'; bin='build'; out='anneal_outcomes_gp.png'" plots/anneal_outcomes.gp
if (!exists("file")) file = "anneal-default-4000.h5"
if (!exists("file2")) file2 = ""
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "anneal_outcomes_gp.png"
files = file . (file2 eq "" ? "" : " " . file2)
protocol(f) = system(sprintf("'%s/xorscape-export' '%s' / --attribute protocol | grep -v '^#'", bin, f))
arms(f) = system(sprintf("'%s/xorscape-export' '%s' arm_names | grep -v '^#' | tr '\\n' ' '", bin, f))
# Triples "accuracy row count" of the histogram table (row = point * arms + arm; point 0: row = arm).
hist(f) = sprintf("< '%s/xorscape-export' '%s' summary/accuracy_histogram_table --format triples | grep -v '^#'", bin, f)
runs(f) = system(sprintf("'%s/xorscape-export' '%s' summary/runs | grep -v '^#' | head -1", bin, f)) + 0
array total[words(files)]
array armnames[words(files)]
array protocols[words(files)]
do for [i=1:words(files)] {
  total[i] = runs(word(files, i))
  armnames[i] = arms(word(files, i))
  protocols[i] = protocol(word(files, i))
}
set terminal pngcairo size 900,480 enhanced font "Sans,10"
set output out
set title "Two-ReLU XOR: outcomes per protocol (sweep point 0)"
set xlabel "final accuracy [%]"
set ylabel "runs [%]"
set yrange [0:105]
set xrange [-15:115]
set xtics 25
set style fill solid 0.7 border -1
set boxwidth 4
set grid ytics
set key top left
plot for [i=1:words(files)] for [a=0:1] hist(word(files, i)) \
       using (100*$1 + (i-1)*10 + a*5 - 7.5):($2 == a ? 100*$3/total[i] : 1/0) with boxes \
       title sprintf("%s, %s protocol", word(armnames[i], a+1), protocols[i])
