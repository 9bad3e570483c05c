# SPDX-License-Identifier: GPL-2.0
#
# New-flow rate against the number of mappings, one panel per path.
#   gnuplot -e "datafile='F'; outfile='O.png'; kernel='K'" bench/plot.gp
# Columns of datafile (written by bench/report.py): N, then the WAN path's
# last-added and random rates of ipt-legacy, ipt-nft, nft-map and hairpin
# (2-9), the same for the hairpin path (10-17), then conntrack-only and
# no-conntrack references for the WAN (18, 19) and hairpin paths (20, 21).

set terminal pngcairo size 1400,560 font "sans,10"
set output outfile
set multiplot layout 1,2 title "New UDP flows per second against the number of mappings (Linux ".kernel.", qemu TCG)"
set logscale xy
set xrange [0.7:150000]
set yrange [50:*]
set format x "%.0s%c"
set format y "%.0s%c"
set xlabel "mappings (N)"
set ylabel "new flows / s"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key bottom left font "sans,9" box opaque
set datafile missing "NaN"

names = "iptables-legacy iptables-nft nft-map hairpin"
colors = "#d62728 #ff7f0e #1f77b4 #2ca02c"

do for [p = 0:1] {
	set title (p == 0 ? "WAN path (client outside)" : "hairpin path (client on the server's LAN)")
	base = 2 + 8 * p
	plot \
		datafile using 1:(column(18 + 2 * p)) with lines dt 2 lw 1.5 lc rgb "#555555" title "conntrack only", \
		datafile using 1:(column(19 + 2 * p)) with lines dt 3 lw 1.5 lc rgb "#999999" title "no conntrack", \
		for [e = 1:4] datafile using 1:(column(base + e - 1)) with linespoints lw 2 pt 7 ps 1 \
			lc rgb word(colors, e) title word(names, e)." (last added)", \
		for [e = 1:4] datafile using 1:(column(base + 4 + e - 1)) with linespoints lw 1.5 dt 4 pt 6 ps 1 \
			lc rgb word(colors, e) title word(names, e)." (random)"
}
unset multiplot
