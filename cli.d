cli.o: core/cli.c core/cli.h core/cfg.h core/limits.h protocol/h1w.h \
  protocol/url.h

core/cli.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:
