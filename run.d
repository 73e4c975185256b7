run.o: core/run.c core/run.h core/cfg.h core/limits.h protocol/h1w.h \
  protocol/url.h core/ring.h stats/tally.h stats/hist.h core/clock.h \
  core/worker.h core/tq.h core/xport.h protocol/h1p.h

core/run.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

core/ring.h:

stats/tally.h:

stats/hist.h:

core/clock.h:

core/worker.h:

core/tq.h:

core/xport.h:

protocol/h1p.h:
