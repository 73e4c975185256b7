hist.o: stats/hist.c stats/hist.h

stats/hist.h:
