jw.o: protocol/jw.c protocol/jw.h

protocol/jw.h:
