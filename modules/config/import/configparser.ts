// Reads INI files the way Python's configparser (the seeds' reader) does: `=` or `:` delimiters,
// whole-line `#`/`;` comments, indented continuation lines, case-insensitive option names, a
// DEFAULT section visible from every section, and `%(name)s` interpolation. The `ini` package
// differs on all of those (and coerces values), so the seed files would not read the same.

export interface IniFile {
  /** Options of [DEFAULT], raw (not interpolated), keys lower-cased. */
  defaults: Record<string, string>;
  /** Each section's own options, raw, keys lower-cased; section names keep their case. */
  sections: Record<string, Record<string, string>>;
  /** How each option was spelled in the file (`s3bucketmapping` → `S3BucketMapping`), per section. */
  spelling: Record<string, Record<string, string>>;
}

export class IniError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "IniError";
  }
}

export function parseIni(text: string): IniFile {
  const file: IniFile = { defaults: {}, sections: {}, spelling: {} };
  let current: Record<string, string> | undefined;
  let currentName = "";
  let lastKey: string | undefined;
  let lastIndent = 0;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    if (trimmed === "" || /^[#;]/.test(trimmed)) {
      // A blank line inside a continued value is kept by configparser; trailing ones are stripped below.
      if (trimmed === "" && current && lastKey !== undefined) current[lastKey] += "\n";
      return;
    }
    if (current && lastKey !== undefined && indent > lastIndent) {
      current[lastKey] = `${current[lastKey]}\n${trimmed}`;
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header) {
      currentName = header[1]!;
      if (currentName === "DEFAULT") current = file.defaults;
      else {
        if (file.sections[currentName]) throw new IniError(`section [${currentName}] appears twice`, lineNo);
        current = file.sections[currentName] = {};
      }
      lastKey = undefined;
      return;
    }
    if (!current) throw new IniError(`option outside any [section]: ${JSON.stringify(trimmed)}`, lineNo);
    const delimiter = /[=:]/.exec(trimmed);
    if (!delimiter) throw new IniError(`expected "key = value", got ${JSON.stringify(trimmed)}`, lineNo);
    const key = trimmed.slice(0, delimiter.index).trim().toLowerCase();
    if (key === "") throw new IniError("an option has no name", lineNo);
    if (Object.hasOwn(current, key)) {
      throw new IniError(`option ${JSON.stringify(key)} appears twice in [${currentName}]`, lineNo);
    }
    current[key] = trimmed.slice(delimiter.index + 1).trim();
    file.spelling[currentName] = {
      ...file.spelling[currentName],
      [key]: trimmed.slice(0, delimiter.index).trim(),
    };
    lastKey = key;
    lastIndent = indent;
  });
  for (const options of [file.defaults, ...Object.values(file.sections)]) {
    for (const key of Object.keys(options)) options[key] = options[key]!.replace(/\n+$/, "");
  }
  return file;
}

/** The option's value as configparser's `get` returns it: DEFAULT fallback, then interpolation. */
export function iniValue(file: IniFile, section: string, key: string): string | undefined {
  const options = section === "DEFAULT" ? file.defaults : file.sections[section];
  if (!options) return undefined;
  const lookup = (name: string) => (Object.hasOwn(options, name) ? options[name] : file.defaults[name]);
  const raw = lookup(key.toLowerCase());
  return raw === undefined ? undefined : interpolate(raw, lookup, section, key, 0);
}

function interpolate(
  value: string,
  lookup: (name: string) => string | undefined,
  section: string,
  key: string,
  depth: number,
): string {
  if (depth > 10) throw new IniError(`[${section}] ${key}: interpolation nested too deeply`);
  return value.replace(/%(%|\(([^)]+)\)s)/g, (whole, _inner: string, name: string | undefined) => {
    if (name === undefined) return "%";
    const referenced = lookup(name.toLowerCase());
    if (referenced === undefined) {
      throw new IniError(`[${section}] ${key}: ${whole} refers to an option that does not exist`);
    }
    return interpolate(referenced, lookup, section, key, depth + 1);
  });
}

/** configparser's getboolean: 1/yes/true/on and 0/no/false/off, any case. */
export function iniBoolean(value: string): boolean | undefined {
  const lower = value.trim().toLowerCase();
  if (["1", "yes", "true", "on"].includes(lower)) return true;
  if (["0", "no", "false", "off"].includes(lower)) return false;
  return undefined;
}
