test_h1p.o: tests/test_h1p.c protocol/h1p.h core/limits.h tests/t.h

protocol/h1p.h:

core/limits.h:

tests/t.h:
