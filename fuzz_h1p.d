fuzz_h1p.o: tests/fuzz/fuzz_h1p.c protocol/h1p.h core/limits.h

protocol/h1p.h:

core/limits.h:
