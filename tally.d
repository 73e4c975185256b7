tally.o: stats/tally.c stats/tally.h core/limits.h stats/hist.h

stats/tally.h:

core/limits.h:

stats/hist.h:
