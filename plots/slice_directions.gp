# A slice along any directions (xorscape-slice --directions) with gnuplot: the loss map of /plane
# with the defining points and, when the file has one, the projected path (white).
# Usage:
#   gnuplot -e "file='sol125.h5'; out='sol125-gnuplot.png'; export='build/xorscape-export'" plots/slice_directions.gp
if (!exists("file")) { print "slice_directions.gp: set file='SLICE.h5' with -e"; exit status 2 }
if (!exists("out")) out = 'slice-directions-gnuplot.png'
if (!exists("export")) export = 'build/xorscape-export'
method = system(sprintf("%s '%s' plane --attribute method", export, file))
has_path = int(system(sprintf("%s '%s' plane/path/x >/dev/null 2>&1 && echo 1 || echo 0", export, file)))
points = sprintf("< bash -c \"paste <(%s '%s' plane/point_x) <(%s '%s' plane/point_y)\"", export, file, export, file)
path = sprintf("< bash -c \"paste <(%s '%s' plane/path/x) <(%s '%s' plane/path/y)\"", export, file, export, file)

set encoding utf8
set terminal pngcairo size 900,760 noenhanced font 'Sans,11'
set output out
set palette defined (0 '#08306b', 0.125 '#2171b5', 0.25 '#40e0d0', 0.375 '#b8e986', 0.5 '#ffd700', \
                     0.625 '#ff9a1f', 0.75 '#d62728', 1 '#4a0010')
set cbrange [0:1]
set cbtics 0.25
set cblabel 'loss L'
set xlabel 'x (coefficient of d1)'
set ylabel 'y (coefficient of d2)'
set title sprintf("slice along %s directions", method)
set autoscale fix
if (has_path) {
  plot sprintf("< %s '%s' plane/loss --format matrix", export, file) nonuniform matrix with image notitle, \
       points using 2:4 with points pt 3 ps 2 lc rgb 'black' title 'defining points', \
       path using 2:4 with lines lw 2 lc rgb 'white' title 'projected path'
} else {
  plot sprintf("< %s '%s' plane/loss --format matrix", export, file) nonuniform matrix with image notitle, \
       points using 2:4 with points pt 3 ps 2 lc rgb 'black' title 'defining points'
}
print sprintf("wrote %s", out)
