// The one way the CLI prints human text: every line goes through escapeControls, so a catalog name
// (or an event's reason) holding a newline, a carriage return, an escape sequence or a bidi
// override cannot forge or split a line of output. JSON output is JSON.stringify's (already safe).

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi controls that
// reorder what a terminal shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `a\nb` -> `a\\nb`: the text on one line, every control character visible as an escape. */
export function escapeControls(text: string): string {
  return text.replace(unsafe, (c) => named[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/** Writes human lines to stdout (or `stream`), each escaped and ended by one newline. */
export function writeLines(
  lines: string | readonly string[],
  stream: NodeJS.WritableStream = process.stdout,
): void {
  const all = typeof lines === "string" ? [lines] : lines;
  if (all.length > 0) stream.write(`${all.map(escapeControls).join("\n")}\n`);
}

/** Writes one JSON document to stdout (no escaping: JSON.stringify already escapes controls). */
export function writeJson(value: unknown, indent?: number): void {
  process.stdout.write(`${JSON.stringify(value, null, indent)}\n`);
}
