test_cli.o: tests/test_cli.c core/cli.h core/cfg.h core/limits.h \
  protocol/h1w.h protocol/url.h tests/t.h

core/cli.h:

core/cfg.h:

core/limits.h:

protocol/h1w.h:

protocol/url.h:

tests/t.h:
