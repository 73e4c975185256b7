/*
 * HdrCheck: HdrHistogram's own Java library as the oracle for stats/hdr.
 * "read LOG" reads an interval log with HistogramLogReader, adds up each
 * tag's intervals and prints "tag count p99_ns" ("-" for untagged lines);
 * "write LOG" writes a log with HistogramLogWriter and prints the same
 * figures for what it wrote. Run by tests/test_hdrlog.sh.
 */
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

public class HdrCheck {
	static void print(Map<String, Histogram> sums) {
		for (Map.Entry<String, Histogram> e : sums.entrySet())
			System.out.println(e.getKey() + " " + e.getValue().getTotalCount() + " "
					   + e.getValue().getValueAtPercentile(99.0));
	}

	static void read(String path) throws Exception {
		Map<String, Histogram> sums = new LinkedHashMap<>();
		HistogramLogReader r = new HistogramLogReader(path);
		EncodableHistogram e;
		while ((e = r.nextIntervalHistogram()) != null) {
			Histogram h = (Histogram) e;
			String tag = h.getTag() == null ? "-" : h.getTag();
			sums.computeIfAbsent(tag, t -> new Histogram(3)).add(h);
		}
		print(sums);
	}

	/* Java's histograms are 1 ns .. 1 h here, not mcpload's 2^42 ns: the
	 * buckets are the same, the header says another highest value. */
	static void write(String path) throws Exception {
		Map<String, Histogram> sums = new LinkedHashMap<>();
		long start = 1700000000000L;
		try (PrintStream out = new PrintStream(path)) {
			HistogramLogWriter w = new HistogramLogWriter(out);
			w.outputLogFormatVersion();
			w.outputStartTime(start);
			w.setBaseTime(start);
			w.outputBaseTime(start);
			w.outputLegend();
			long x = 12345;
			for (int k = 0; k < 3; k++) {
				Histogram h = new Histogram(1, 3600L * 1000000000L, 3);
				for (int i = 0; i < 30000; i++) {
					x = x * 6364136223846793005L + 1442695040888963407L;
					h.recordValue(1000 + ((x >>> 20) % 50000000L));
				}
				h.setTag(k == 2 ? null : "java_" + (k % 2));
				h.setStartTimeStamp(start + k * 1000L);
				h.setEndTimeStamp(start + k * 1000L + 1000L);
				w.outputIntervalHistogram(h);
				String tag = h.getTag() == null ? "-" : h.getTag();
				sums.computeIfAbsent(tag, t -> new Histogram(3)).add(h);
			}
		}
		print(sums);
	}

	public static void main(String[] a) throws Exception {
		if (a.length == 2 && a[0].equals("read"))
			read(a[1]);
		else if (a.length == 2 && a[0].equals("write"))
			write(a[1]);
		else {
			System.err.println("usage: HdrCheck read|write LOG");
			System.exit(2);
		}
	}
}
