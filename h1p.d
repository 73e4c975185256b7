h1p.o: protocol/h1p.c protocol/h1p.h core/limits.h

protocol/h1p.h:

core/limits.h:
