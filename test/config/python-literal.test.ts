import { describe, expect, it } from "vitest";
import { PythonLiteralError, parsePythonLiteral } from "../../modules/config/import/python-literal.ts";

describe("parsePythonLiteral", () => {
  it("reads the seeds' dicts and lists in either quote style", () => {
    expect(
      parsePythonLiteral("{'lf-metadata-xxxxxxxxxxxx-us-east-1': 'lf-metadata-xxxxxxxxxxxx-us-west-2'}"),
    ).toEqual({
      "lf-metadata-xxxxxxxxxxxx-us-east-1": "lf-metadata-xxxxxxxxxxxx-us-west-2",
    });
    expect(parsePythonLiteral(`{"a":'b', 'c' : "d",}`)).toEqual({ a: "b", c: "d" });
    expect(parsePythonLiteral("['ALL_DATABASE']")).toEqual(["ALL_DATABASE"]);
    expect(parsePythonLiteral(` [ 'us-east-2',"us-east-1" ,\n 'us-west-1', ] `)).toEqual([
      "us-east-2",
      "us-east-1",
      "us-west-1",
    ]);
    expect(parsePythonLiteral("[]")).toEqual([]);
    expect(parsePythonLiteral("{}")).toEqual({});
  });

  it("reads nested containers, tuples, numbers and the constants", () => {
    expect(
      parsePythonLiteral("{'a': [1, -2.5, 1e3, 0x1F, 1_000], 'b': (True, False, None), 'c': {'d': ()}}"),
    ).toEqual({
      a: [1, -2.5, 1000, 31, 1000],
      b: [true, false, null],
      c: { d: [] },
    });
    expect(parsePythonLiteral("{1: 'one'}")).toEqual({ "1": "one" });
  });

  it("handles escapes, raw and triple-quoted strings, and adjacent string concatenation", () => {
    expect(parsePythonLiteral(String.raw`'it\'s \"x\"\n\t\x41\u00e9'`)).toBe('it\'s "x"\n\tAé');
    expect(parsePythonLiteral(`"a'b"`)).toBe("a'b");
    expect(parsePythonLiteral(String.raw`r'C:\path\n'`)).toBe(String.raw`C:\path\n`);
    expect(parsePythonLiteral(`'''multi\nline'''`)).toBe("multi\nline");
    expect(parsePythonLiteral(`u'ab' "cd"`)).toBe("abcd");
    expect(parsePythonLiteral(String.raw`'\d'`)).toBe(String.raw`\d`); // unknown escapes keep the backslash
  });

  it("refuses anything that is not a literal, saying where", () => {
    const cases: [string, string][] = [
      [
        "__import__('os')",
        'expected a literal (string, number, list, dict, True, False, None), got "__import__" at offset 0',
      ],
      ["['a' 'b'", 'expected "," or "]", got end of input at offset 8'],
      ["{'a' 'b'}", 'expected ":" after the dict key, got "}" at offset 8'],
      ["{'a': 1", 'expected "," or "}", got end of input at offset 7'],
      ["'open", "unterminated string (missing ') at offset 0"],
      ["['a'] extra", 'unexpected "e" after the value at offset 6'],
      ["", "expected a value but found end of input at offset 0"],
      ["{['a']: 1}", "expected a string or number as dict key at offset 1"],
      ["true", 'expected a literal (string, number, list, dict, True, False, None), got "true" at offset 0'],
    ];
    for (const [text, message] of cases) {
      expect(() => parsePythonLiteral(text), text).toThrow(
        new PythonLiteralError(message.replace(/ at offset \d+$/, ""), Number(/\d+$/.exec(message)![0])),
      );
    }
  });
});
