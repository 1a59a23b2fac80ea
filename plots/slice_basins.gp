# A basin map (xorscape-slice --basins) with gnuplot: the label map of /plane (one colour per
# label, the legend from /basins/description) beside the end-loss map.
# Usage:
#   gnuplot -e "file='basins.h5'; out='basins-gnuplot.png'; export='build/xorscape-export'" plots/slice_basins.gp
if (!exists("file")) { print "slice_basins.gp: set file='BASINS.h5' with -e"; exit status 2 }
if (!exists("out")) out = 'slice-basins-gnuplot.png'
if (!exists("export")) export = 'build/xorscape-export'
labels = int(system(sprintf("%s '%s' basins/count | grep -vc '^#'", export, file)))
describe(k) = system(sprintf("%s '%s' basins/description | grep -v '^#' | sed -n '%dp'", export, file, k + 1))
share(k) = real(system(sprintf("%s '%s' basins/fraction | grep -v '^#' | sed -n '%dp' | awk '{print $2}'", export, file, k + 1)))

set encoding utf8
set terminal pngcairo size 1500,820 noenhanced font 'Sans,10'
set output out
set multiplot layout 1,2
set xlabel 'x (coefficient of d1)'
set ylabel 'y (coefficient of d2)'
set autoscale fix
set title 'end of the full-space gradient flow from each grid point'
set palette maxcolors labels
set palette defined (0 '#08306b', 0.3 '#41ab5d', 0.55 '#fd8d3c', 0.8 '#d62728', 1 '#969696')
set cbrange [-0.5:labels - 0.5]
set cbtics 1
set key below font ',8'
plot sprintf("< %s '%s' plane/basin_label --format matrix", export, file) nonuniform matrix with image notitle, \
     for [k=0:labels-1] NaN with boxes fs solid lc palette cb k title sprintf("%d: %s (%.1f%%)", k, describe(k), 100 * share(k))
unset key
set title 'loss at the end of the flow'
set palette defined (0 '#440154', 0.5 '#21918c', 1 '#fde725')
set cbrange [*:*]
set cbtics auto
set cblabel 'end loss'
plot sprintf("< %s '%s' plane/basin_end_loss --format matrix", export, file) nonuniform matrix with image notitle
unset multiplot
print sprintf("wrote %s", out)
