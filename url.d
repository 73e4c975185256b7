url.o: protocol/url.c protocol/url.h

protocol/url.h:
