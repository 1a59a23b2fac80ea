# Figure 6 of the dissecting paper in gnuplot: loss-landscape slices with trajectories.
# Usage:
#   gnuplot -e "file='slice.h5'; bin='build'; out='fig6.png'" plots/fig6_trajectories.gp
# optional: planes='b1_1,b2_1 w2_12,b1_2 ...' (space-separated; default: the six of Fig. 6
# that are in the file). Reads the file through bin/xorscape-export (--list, --attribute).
# Gradient descent: thick black lines; gradient flow: thin white dashes; red dots: starts.
if (!exists("file")) { print "fig6_trajectories.gp: set file='SLICE.h5'"; exit status 2 }
if (!exists("bin")) bin = "build"
if (!exists("out")) out = "fig6_trajectories.png"
export = bin . "/xorscape-export"
present = system(sprintf("%s '%s' --list | awk -F/ '$2 == \"planes\" {print $3}' | sort -u | tr '\\n' ' '", export, file))
if (!exists("planes")) {
  planes = ""
  do for [p in "b1_1,b2_1 w2_12,b1_2 w1_22,b1_1 w2_11,w2_12 w1_11,w1_12 b1_1,b1_2"] {
    if (strstrt(" " . present . " ", " " . p . " ") > 0) { planes = planes . " " . p }
  }
  if (words(planes) == 0) { planes = present }
}
n = words(planes)
if (n == 0) { print "fig6_trajectories.gp: no planes in " . file; exit status 2 }
columns = (n < 3) ? n : 3
rows = (n + columns - 1) / columns

set terminal pngcairo size 520*columns, 480*rows font "Sans,10"
set output out
# Plateau levels 0 / 0.25 / 0.5 / 0.75 / 1: dark blue, turquoise, yellow, red, dark red
# (the colour map of plots/slice_common.py).
set palette defined (0 '#08306b', 0.125 '#2171b5', 0.25 '#40e0d0', 0.375 '#b8e986', 0.5 '#ffd700', \
                     0.625 '#ff9a1f', 0.75 '#d62728', 1 '#4a0010')
set cbrange [0:1]
set cbtics 0.25
set cblabel "loss L"
set size ratio -1
set termoption noenhanced
set key off
source = system(sprintf("%s '%s' --attribute center_source 2>/dev/null || echo 'the center'", export, file))
set multiplot layout rows, columns title "Slices around " . source . ", steepest-descent paths"
letters = "abcdefghijklmnopqrstuvwxyz"
do for [i = 1:n] {
  p = word(planes, i)
  comma = strstrt(p, ",")
  xname = p[1:comma-1]
  yname = p[comma+1:]
  group = "planes/" . p
  ntraj = int(system(sprintf("%s '%s' --list | grep -c '^/%s/trajectories/[0-9]*/x '", export, file, group)))
  set title sprintf("(%s)  %s, %s", letters[i:i], xname, yname)
  set xlabel "Δ" . xname
  set ylabel "Δ" . yname
  xs = system(sprintf("%s '%s' '%s/x' | awk 'NR==2{a=$1} END{print a, $1}'", export, file, group))
  set xrange [word(xs, 1):word(xs, 2)]
  set yrange [word(xs, 1):word(xs, 2)]
  ys = system(sprintf("%s '%s' '%s/y' | awk 'NR==2{a=$1} END{print a, $1}'", export, file, group))
  set yrange [word(ys, 1):word(ys, 2)]
  # paste joins the x and y columns (each printed as "epoch value") of one trajectory.
  path(k) = sprintf("< bash -c \"paste <(%s '%s' '%s/trajectories/%d/x') <(%s '%s' '%s/trajectories/%d/y')\"", \
                    export, file, group, k, export, file, group, k)
  flow(k) = system(sprintf("%s '%s' '%s/trajectories/%d' --attribute integrator | grep -c flow", export, file, group, k)) + 0
  plot sprintf("< %s '%s' '%s/loss' --format matrix", export, file, group) nonuniform matrix with image, \
       for [k = 0:ntraj-1] path(k) using 2:4 with lines \
           lc rgb (flow(k) ? "white" : "black") lw (flow(k) ? 1.3 : 3.5) dt 1+flow(k), \
       for [k = 0:ntraj-1] path(k) using 2:4 every ::0::0 with points pt 7 ps 1.2 lc rgb "red"
}
unset multiplot
