// Parses the Python literals the seed INI files hold (what `ast.literal_eval` accepted there):
// dicts, lists, tuples, strings in single or double quotes (with prefixes r/u/b and triple quotes),
// numbers, True/False/None. Nothing is evaluated; anything else is a PythonLiteralError.

export type PythonValue = string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

export class PythonLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = "PythonLiteralError";
  }
}

export function parsePythonLiteral(text: string): PythonValue {
  const parser = new Parser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail(`unexpected ${parser.peekShown()} after the value`);
  return value;
}

const escapes: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string): never {
    throw new PythonLiteralError(message, this.pos);
  }

  peekShown(): string {
    return this.atEnd() ? "end of input" : JSON.stringify(this.text[this.pos]);
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const ch = this.text[this.pos]!;
      if (ch === "#") {
        while (!this.atEnd() && this.text[this.pos] !== "\n") this.pos++;
      } else if (/\s/.test(ch)) this.pos++;
      else break;
    }
  }

  value(): PythonValue {
    this.skipSpace();
    if (this.atEnd()) this.fail("expected a value but found end of input");
    const ch = this.text[this.pos]!;
    if (ch === "{") return this.dict();
    if (ch === "[") return this.sequence("]");
    if (ch === "(") return this.sequence(")");
    if (/[rRuUbB'"]/.test(ch)) {
      const str = this.tryStrings();
      if (str !== undefined) return str;
    }
    if (/[-+0-9.]/.test(ch)) return this.number();
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      this.pos += word.length;
      return word === "True" ? true : word === "False" ? false : null;
    }
    return this.fail(
      `expected a literal (string, number, list, dict, True, False, None), got ${word ? JSON.stringify(word) : this.peekShown()}`,
    );
  }

  private dict(): { [key: string]: PythonValue } {
    this.pos++; // {
    const out: { [key: string]: PythonValue } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return out;
      }
      const keyAt = this.pos;
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean" && key !== null) {
        throw new PythonLiteralError("expected a string or number as dict key", keyAt);
      }
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`expected ":" after the dict key, got ${this.peekShown()}`);
      this.pos++;
      out[String(key)] = this.value();
      if (!this.separator("}")) return out;
    }
  }

  private sequence(close: string): PythonValue[] {
    this.pos++; // [ or (
    const out: PythonValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      if (!this.separator(close)) return out;
    }
  }

  /** After an item: "," continues (a trailing comma is allowed), the closer ends. */
  private separator(close: string): boolean {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === ",") {
      this.pos++;
      return true;
    }
    if (ch === close) {
      this.pos++;
      return false;
    }
    return this.fail(`expected "," or "${close}", got ${this.peekShown()}`);
  }

  /** One string, or adjacent strings concatenated as Python does ('a' 'b' == 'ab'). */
  private tryStrings(): string | undefined {
    const first = this.string();
    if (first === undefined) return undefined;
    let out = first;
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const next = /[rRuUbB'"]/.test(this.text[this.pos] ?? "") ? this.string() : undefined;
      if (next === undefined) {
        this.pos = save;
        return out;
      }
      out += next;
    }
  }

  private string(): string | undefined {
    const prefix = /^[rRuUbB]{0,2}(?=['"])/.exec(this.text.slice(this.pos))?.[0];
    if (prefix === undefined) return undefined;
    const raw = /r/i.test(prefix);
    this.pos += prefix.length;
    const quote = this.text.startsWith(this.text[this.pos]!.repeat(3), this.pos)
      ? this.text[this.pos]!.repeat(3)
      : this.text[this.pos]!;
    const start = this.pos;
    this.pos += quote.length;
    let out = "";
    for (;;) {
      if (this.atEnd()) throw new PythonLiteralError(`unterminated string (missing ${quote})`, start);
      if (this.text.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return out;
      }
      const ch = this.text[this.pos]!;
      if (ch === "\n" && quote.length === 1) {
        throw new PythonLiteralError(`unterminated string (missing ${quote})`, start);
      }
      if (ch === "\\") {
        const next = this.text[this.pos + 1];
        if (next === undefined) throw new PythonLiteralError(`unterminated string (missing ${quote})`, start);
        if (raw) {
          out += ch + next;
          this.pos += 2;
          continue;
        }
        const hex = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
        if (hex) {
          const digits = this.text.slice(this.pos + 2, this.pos + 2 + hex);
          if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) this.fail(`invalid \\${next} escape`);
          out += String.fromCodePoint(Number.parseInt(digits, 16));
          this.pos += 2 + hex;
          continue;
        }
        // Unknown escapes keep their backslash, as in Python.
        out += escapes[next] ?? ch + next;
        this.pos += 2;
        continue;
      }
      out += ch;
      this.pos++;
    }
  }

  private number(): number {
    const match =
      /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?)/.exec(
        this.text.slice(this.pos),
      );
    if (!match || match[0] === "" || /^[-+]$/.test(match[0]))
      return this.fail(`expected a number, got ${this.peekShown()}`);
    this.pos += match[0].length;
    const literal = match[0].replaceAll("_", "");
    const sign = literal.startsWith("-") ? -1 : 1;
    const unsigned = literal.replace(/^[-+]/, "");
    if (/^0[xob]/i.test(unsigned)) {
      const base = { x: 16, o: 8, b: 2 }[unsigned[1]!.toLowerCase() as "x" | "o" | "b"];
      return sign * Number.parseInt(unsigned.slice(2), base);
    }
    return sign * Number(unsigned);
  }
}
