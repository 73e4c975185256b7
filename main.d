main.o: core/main.c core/cli.h core/cfg.h core/limits.h protocol/h1w.h \
  protocol/url.h core/run.h core/ring.h stats/tally.h stats/hist.h \
  stats/summary.h

core/cli.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

core/run.h:

core/ring.h:

stats/tally.h:

stats/hist.h:

stats/summary.h:
