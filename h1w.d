h1w.o: protocol/h1w.c protocol/h1w.h

protocol/h1w.h:
