// tokoracle.mjs: mcpload's tokenizer against js-tiktoken, token id for token
// id, for cl100k_base and o200k_base: tiktoken's published vectors, seeded
// random Unicode strings, MCP JSON payloads and this repo's *.c, *.h, *.md.
// Usage: node tokoracle.mjs TEST_TOK REPO_ROOT [SEED]   (run where js-tiktoken is installed)
// Prints "N passed, N failed"; a mismatch prints the case, both id lists.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';

const [bin, root, seedArg] = process.argv.slice(2);
const seed = Number(seedArg ?? Date.now() % 1e9);

// tiktoken's tests (test_encoding.py, test_simple_public.py) and a few more.
const published = ['hello world', '', '\u{1F44D}', 'rer', "'rer", 'today\n ', 'today\n \n',
	'today\n  \n', 'hello <|endoftext|>', 'a'.repeat(3000), ' '.repeat(300) + 'x',
	'0'.repeat(100), "I'm can't we'll they'RE you'VE it'S", '\t\t\n\r\n\r  \n', 'x\u00a0y\u3000z',
	'\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', 'ABCdefGHI jklMNO', 'e\u0301\u0302\u0303x', '1234567'];

// Seeded random text from code points that the tables (tokuc, UCD 16.0, as
// tiktoken's regex crate) and Node's ICU (js-tiktoken's regex: Unicode 17.0)
// class alike (the same L as Lu+Lt, Ll, Lm or Lo, M, N, White_Space: all the
// scanners see of a code point) and that 17.0 assigns. Which ones is read
// from the data, not listed: test_tok --classes gives the tables' class of
// every code point, \p{...} Node's. A letter, mark or digit new in 17.0 is
// classed apart (Node's is a letter, the tables' is not), and so is U+0295,
// Ll in 16.0 and Lo in 17.0; a symbol new in 17.0 is "other" in both.
// U+0085 and U+FEFF (JS's \s differs from Rust's there) and U+017F (Rust's
// case folding of 's) are left out: test_tok covers them.
let st = seed >>> 0;
function rnd(n) {
	st = (st + 0x6d2b79f5) >>> 0;
	let t = st;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return (((t ^ (t >>> 14)) >>> 0) % n);
}
const classes = execFileSync(bin, ['--classes'], { maxBuffer: 1 << 30 });
const nl = classes.indexOf(10);
const ucd = classes.subarray(0, nl).toString(), tokuc = classes.subarray(nl + 1);
if (tokuc.length !== 0x110000) throw new Error(`${bin} --classes: ${tokuc.length} classes`);
const props = [['Lu', 1], ['Lt', 1], ['Ll', 2], ['Lm', 4], ['Lo', 8], ['M', 16], ['N', 32], ['White_Space', 64]]
	.map(([p, bit]) => [new RegExp(`^\\p{${p}}$`, 'u'), bit]);
const assigned = /^\p{Assigned}$/u;
const alike = new Uint8Array(0x110000);
let apart = 0;
for (let c = 0; c < 0x110000; c++) {
	if ((c >= 0xd800 && c <= 0xdfff) || c === 0x85 || c === 0xfeff || c === 0x17f) continue;
	const s = String.fromCodePoint(c);
	let k = 0;
	for (const [re, bit] of props) if (re.test(s)) k |= bit;
	if (k !== tokuc[c]) apart++;
	else if (assigned.test(s)) alike[c] = 1;
}
// Where the text is drawn from: scripts of several kinds and UTF-8 lengths,
// those new in 15.1 and 16.0 (CJK Ext. I, Todhri, Garay, Tulu-Tigalari,
// Sunuwar, Egyptian Hieroglyphs Ext. A, Gurung Khema, Kirat Rai, Ol Onal),
// and anything; each keeps only its code points classed alike.
const ranges = [[0x61, 0x7a], [0x41, 0x5a], [0x30, 0x39], [0x20, 0x2f], [0x3a, 0x40], [0x5b, 0x60],
	[0xc0, 0xff], [0x391, 0x3a9], [0x410, 0x44f], [0x4e00, 0x9fa5], [0x3041, 0x3096],
	[0x30a1, 0x30fa], [0x300, 0x36f], [0x905, 0x939], [0x93e, 0x94d], [0x660, 0x669],
	[0x627, 0x64a], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x2000, 0x200a], [0xff10, 0xff19],
	[0x2160, 0x216b], [0xb2, 0xb3], [0x1d400, 0x1d44f], [0xac00, 0xd7a3], [0x1c5, 0x1c5],
	[0x250, 0x2af], [0x890, 0x89f], [0x2ebf0, 0x2ee5d], [0x105c0, 0x105f3], [0x10d40, 0x10d8f],
	[0x11380, 0x113ff], [0x11bc0, 0x11bff], [0x13460, 0x143ff], [0x16100, 0x1613f],
	[0x16d40, 0x16d7f], [0x1e5d0, 0x1e5ff], [0, 0x10ffff]].map(([lo, hi]) => {
	const cps = [];
	for (let c = lo; c <= hi; c++) if (alike[c]) cps.push(c);
	if (!cps.length) throw new Error(`no code point of U+${lo.toString(16)}..U+${hi.toString(16)} is classed alike`);
	return cps;
});
const bits = ['\n', '\r\n', '\t', '  ', '   ', "'s", "'LL", "'re", "'", '/', '\u00a0', '\u3000', '\u200d'];
function randomText() {
	const n = 1 + rnd(120);
	let s = '';
	for (let i = 0; i < n; i++) {
		if (rnd(5) === 0) {
			s += bits[rnd(bits.length)];
			continue;
		}
		const cps = ranges[rnd(ranges.length)];
		const run = 1 + rnd(rnd(4) === 0 ? 12 : 3);
		for (let j = 0; j < run; j++) s += String.fromCodePoint(cps[rnd(cps.length)]);
	}
	return s;
}

function mcpPayloads() {
	const tools = Array.from({ length: 12 }, (_, i) => ({
		name: `tool_${i}`, title: `Tool n\u00ba${i}`,
		description: `Looks up record ${i} and returns it as JSON; don't call it twice.`,
		inputSchema: { type: 'object', properties: { id: { type: 'integer', minimum: 0 }, q: { type: 'string' } }, required: ['id'] },
	}));
	return [
		{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpload', version: '0.1.0' } } },
		{ jsonrpc: '2.0', id: 2, result: { tools } },
		{ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { message: 'h\u00e9llo \u4e16\u754c \u{1F600}\n\ttab' } } },
		{ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'Echo: h\u00e9llo \u4e16\u754c \u{1F600}' }], isError: false } },
		{ jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'Invalid params: id must be >= 0' } },
	].flatMap((m) => [JSON.stringify(m), JSON.stringify(m, null, 2)]);
}

const cases = [];
published.forEach((t) => cases.push(['published', t]));
for (let i = 0; i < 2000; i++) cases.push(['random', randomText()]);
mcpPayloads().forEach((t) => cases.push(['mcp', t]));
const files = execFileSync('git', ['-C', root, 'ls-files', '*.c', '*.h', '*.md']).toString().split('\n').filter(Boolean);
files.forEach((f) => cases.push([`file ${f}`, readFileSync(join(root, f), 'utf8')]));

const dir = mkdtempSync(join(tmpdir(), 'tokoracle-'));
const recs = join(dir, 'cases');
writeFileSync(recs, Buffer.concat(cases.flatMap(([, t]) => {
	const b = Buffer.from(t, 'utf8');
	return [Buffer.from(`${b.length}\n`), b];
})));
let passed = 0, failed = 0;
for (const [name, table] of [['cl100k_base', cl100k], ['o200k_base', o200k]]) {
	const enc = new Tiktoken(table);
	const got = execFileSync(bin, ['--ids', name, recs], { maxBuffer: 1 << 30 }).toString().split('\n');
	let bad = 0, tokens = 0;
	cases.forEach(([kind, text], i) => {
		const want = enc.encode(text, [], []).join(' ');
		tokens += want ? want.split(' ').length : 0;
		if (got[i] === want) return passed++;
		failed++;
		if (bad++ < 3) {
			const w = want.split(' '), g = (got[i] ?? '').split(' ');
			let k = 0;
			while (k < w.length && w[k] === g[k]) k++;
			console.log(`FAIL ${name} ${kind} #${i}: ${JSON.stringify(text.slice(0, 200))}`);
			console.log(`  first difference at id ${k}: want ${w.slice(k, k + 8).join(' ')}, got ${g.slice(k, k + 8).join(' ')}`);
		}
	});
	console.log(`  ${name}: ${cases.length} cases (${published.length} published, 2000 random, ` +
		`${mcpPayloads().length} MCP, ${files.length} files), ${tokens} tokens, ${bad} differ`);
}
rmSync(dir, { recursive: true });
console.log(`  random text: code points that UCD ${ucd} (the tables) and Node's Unicode ` +
	`${process.versions.unicode} class alike; ${apart} classed apart are left out`);
console.log(`  seed ${seed} (node tokoracle.mjs ... ${seed} repeats it)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
