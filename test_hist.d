test_hist.o: tests/test_hist.c stats/hist.h tests/t.h

stats/hist.h:

tests/t.h:
