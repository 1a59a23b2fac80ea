# Figure 7 of the dissecting paper with gnuplot: a randomized-batch cross-section,
# (a) a single scan and (b) the average over the scans, same colour scale as Figure 6.
# Usage:
#   gnuplot -e "file='slice-fig7.h5'; out='fig7-gnuplot.png'; export='build/xorscape-export'" plots/slice_fig7.gp
# optional: plane='b1_1,b2_1' (default), stride=N (every N-th grid point; default keeps <= 401 per axis)
if (!exists("file")) { print "slice_fig7.gp: set file='SLICE.h5' with -e"; exit status 2 }
if (!exists("out")) out = 'slice-fig7-gnuplot.png'
if (!exists("export")) export = 'build/xorscape-export'
if (!exists("plane")) plane = 'b1_1,b2_1'
dims = system(sprintf("%s '%s' 'planes/%s/loss' --format columns --stride 1000000 | head -1", export, file, plane))
nx = int(word(dims, words(dims)))
if (!exists("stride")) stride = (nx > 401) ? int(ceil(nx / 401.0)) : 1
scans = system(sprintf("%s '%s' --attribute scans", export, file))
xname = system(sprintf("echo '%s' | cut -d, -f1", plane))
yname = system(sprintf("echo '%s' | cut -d, -f2", plane))
matrix(d) = sprintf("< %s '%s' 'planes/%s/%s' --format matrix --stride %d", export, file, plane, d, stride)

set encoding utf8
set terminal pngcairo size 1500,640 noenhanced font 'Sans,12'
set output out
set multiplot layout 1,2 title sprintf("Randomized-batch cross-section, plane %s (Fig. 7)", plane)
set palette defined (0 '#08306b', 0.125 '#2171b5', 0.25 '#40e0d0', 0.375 '#b8e986', 0.5 '#ffd700', \
                     0.625 '#ff9a1f', 0.75 '#d62728', 1 '#4a0010')
set cbrange [0:1]
set cbtics 0.25
set cblabel 'loss L'
set xlabel sprintf('Δ%s (offset from center)', xname)
set ylabel sprintf('Δ%s (offset from center)', yname)
set size ratio -1
set autoscale fix
set title '(a) single randomized scan'
plot matrix('loss') nonuniform matrix with image notitle
set title sprintf('(b) mean over %s scans', scans)
plot matrix('loss_mean') nonuniform matrix with image notitle
unset multiplot
print sprintf("wrote %s", out)
