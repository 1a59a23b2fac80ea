# All planes of a slice file on one page with gnuplot (Python: slice_contact_sheet.py).
# Usage:
#   gnuplot -e "file='slice-all.h5'; out='sheet-gnuplot.png'; export='build/xorscape-export'" plots/slice_contact_sheet.gp
# optional: dataset='loss_mean' (default 'loss'), points=N (grid points per axis drawn, default 101)
if (!exists("file")) { print "slice_contact_sheet.gp: set file='SLICE.h5' with -e"; exit status 2 }
if (!exists("out")) out = 'slice-contact-sheet-gnuplot.png'
if (!exists("export")) export = 'build/xorscape-export'
if (!exists("dataset")) dataset = 'loss'
if (!exists("points")) points = 101
names = system(sprintf("%s '%s' --attribute plane_order", export, file))
n = words(names)
columns = ceil(sqrt(n))
rows = ceil(n / (1.0 * columns))
first = word(names, 1)
dims = system(sprintf("%s '%s' 'planes/%s/%s' --format columns --stride 1000000 | head -1", export, file, first, dataset))
nx = int(word(dims, words(dims)))
stride = (nx > points) ? int(ceil(nx / (1.0 * points))) : 1
matrix(p) = sprintf("< %s '%s' 'planes/%s/%s' --format matrix --stride %d", export, file, p, dataset, stride)

set encoding utf8
set terminal pngcairo size 330 * columns + 120, 300 * rows + 60 noenhanced font 'Sans,8'
set output out
set palette defined (0 '#08306b', 0.125 '#2171b5', 0.25 '#40e0d0', 0.375 '#b8e986', 0.5 '#ffd700', \
                     0.625 '#ff9a1f', 0.75 '#d62728', 1 '#4a0010')
set cbrange [0:1]
unset colorbox
set autoscale fix
set size ratio -1
set multiplot layout rows, columns title sprintf("%d cross-sections (%s): levels 0 dark blue, 0.25 turquoise, 0.5 yellow, 0.75 red", n, dataset)
do for [k = 1:n] {
  p = word(names, k)
  set title p
  set xlabel sprintf('Δ%s', p[1:strstrt(p, ',') - 1])
  set ylabel sprintf('Δ%s', p[strstrt(p, ',') + 1:])
  plot matrix(p) nonuniform matrix with image notitle
}
unset multiplot
print sprintf("wrote %s", out)
