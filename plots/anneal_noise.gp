# Success rate of baseline and eda against the base noise, for one or two sweep files over
# --base-noise (e.g. the default and the article protocol), with Wilson 95 % intervals.
# gnuplot -e "file='a.h5'; file2='b.h5'; bin='build'; out='anneal_noise_gp.png'" plots/anneal_noise.gp
if (!exists("file")) file = "anneal-noise-default.h5"
if (!exists("file2")) file2 = ""
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "anneal_noise_gp.png"
files = file . (file2 eq "" ? "" : " " . file2)
words_of(f, d) = system(sprintf("'%s/xorscape-export' '%s' %s | grep -v '^#' | tr '\\n' ' '", bin, f, d))
protocol(f) = system(sprintf("'%s/xorscape-export' '%s' / --attribute protocol | grep -v '^#'", bin, f))
# Triples "arm point value"; rate, lower and upper bound side by side.
ex(f, d) = sprintf("'%s/xorscape-export' '%s' %s --format triples | grep -v '^#'", bin, f, d)
data(f) = sprintf("< bash -c \"paste <(%s) <(%s) <(%s)\"", ex(f, "summary/success_rate"), ex(f, "summary/wilson_lo"), ex(f, "summary/wilson_hi"))
# Read once per file: "point value" pairs of the base noise, the arm names and the protocol.
array noises[words(files)]
array armnames[words(files)]
array protocols[words(files)]
do for [i=1:words(files)] {
  noises[i] = words_of(word(files, i), "sweep/base_noise")
  armnames[i] = words_of(word(files, i), "arm_names")
  protocols[i] = protocol(word(files, i))
}
set terminal pngcairo size 820,500 enhanced font "Sans,10"
set output out
set title "Two-ReLU XOR: success against base noise, Wilson 95 % intervals"
set xlabel "base noise"
set ylabel "success rate [%]"
set logscale x
set yrange [0:105]
set grid
set key bottom right
plot for [i=1:words(files)] for [a=0:1] data(word(files, i)) \
       using (word(noises[i], 2*int($2)+2)+0):($1 == a ? 100*$3 : 1/0):(100*$6):(100*$9) \
       with yerrorlines lw 2 dt i title sprintf("%s, %s protocol", word(armnames[i], a+1), protocols[i])
