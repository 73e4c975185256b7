test_engine.o: tests/test_engine.c core/cli.h core/cfg.h core/limits.h \
  protocol/h1w.h protocol/url.h core/clock.h core/run.h core/ring.h \
  stats/tally.h stats/hist.h tests/t.h

core/cli.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

core/clock.h:

core/run.h:

core/ring.h:

stats/tally.h:

stats/hist.h:

tests/t.h:
