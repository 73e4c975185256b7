ring.o: core/ring.c core/ring.h core/limits.h

core/ring.h:

core/limits.h:
