summary.o: stats/summary.c stats/summary.h core/cfg.h core/limits.h \
  protocol/h1w.h protocol/url.h core/run.h core/ring.h stats/tally.h \
  stats/hist.h protocol/jw.h

stats/summary.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

core/run.h:

core/ring.h:

stats/tally.h:

stats/hist.h:

protocol/jw.h:
