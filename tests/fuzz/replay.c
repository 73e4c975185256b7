/*
 * Plain driver for the libFuzzer targets: replays every file of a corpus
 * directory through LLVMFuzzerTestOneInput, so `make test` exercises the
 * seed corpus with gcc + ASan/UBSan and no libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	unsigned files = 0, failed = 0;
	for (int a = 1; a < argc; a++) {
		DIR *d = opendir(argv[a]);
		struct dirent *e;
		if (!d) {
			fprintf(stderr, "replay: cannot open %s\n", argv[a]);
			failed++;
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];
			static uint8_t buf[1 << 20];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[a], e->d_name);
			FILE *f = fopen(path, "rb");
			if (!f) {
				failed++;
				continue;
			}
			size_t n = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			LLVMFuzzerTestOneInput(buf, n);
			files++;
		}
		closedir(d);
	}
	if (files == 0)
		failed++;
	printf("replayed %u corpus files\n%u passed, %u failed\n", files, files, failed);
	return failed ? 1 : 0;
}
