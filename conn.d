conn.o: core/conn.c core/worker.h core/cfg.h core/limits.h protocol/h1w.h \
  protocol/url.h core/ring.h core/tq.h core/xport.h protocol/h1p.h \
  stats/tally.h stats/hist.h

core/worker.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

core/ring.h:

core/tq.h:

core/xport.h:

protocol/h1p.h:

stats/tally.h:

stats/hist.h:
