"""Parse Snowflake statements with sqlglot and describe each parsed tree as JSON.

Reads a JSON array of SQL strings on stdin; prints a JSON array with one description per statement.
Exits 1 (message on stderr) when a statement does not parse, or when sqlglot falls back to a generic
`exp.Command` (with --serve: one request per line, answers {"ok": [...]} or {"error": "..."}) (it does that, with only a warning, for syntax it does not understand). Tests assert on
node types and properties, never on regenerated SQL (sqlglot rewrites text when it prints).

sqlglot has no grammar for DROP EXTERNAL TABLE: that one statement is parsed as DROP TABLE after
removing EXTERNAL, and reported with kind "EXTERNAL TABLE".
"""

import datetime
import json
import logging
import re
import sys

import sqlglot
from sqlglot import exp

EXTERNAL_DROP = re.compile(r"^\s*DROP\s+EXTERNAL\s+TABLE\s+", re.IGNORECASE)


class FallbackDetector(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def name_parts(table):
    if not isinstance(table, exp.Table):
        return None
    return [part.name for part in table.parts]


def evaluate(node, filename):
    """Evaluate a partition-column expression for one file, with Snowflake's semantics for the few
    functions lakesync emits (1-based SPLIT_PART and SUBSTR, IFF, STARTSWITH, NULLIF, CAST, CASE, ||, =)."""
    if isinstance(node, exp.Paren):
        return evaluate(node.this, filename)
    if isinstance(node, exp.Column):
        if node.name.lower() != "metadata$filename":
            raise ValueError(f"partition expressions may only read metadata$filename, not {node.name}")
        return filename
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else int(node.this)
    if isinstance(node, exp.SplitPart):
        text, delimiter, index = (evaluate(node.args[k], filename) for k in ("this", "delimiter", "part_index"))
        parts = text.split(delimiter)
        return parts[index - 1] if 1 <= index <= len(parts) else ""
    if isinstance(node, exp.StartsWith):
        return evaluate(node.this, filename).startswith(evaluate(node.expression, filename))
    if isinstance(node, exp.If):
        branch = node.args["true"] if evaluate(node.this, filename) else node.args.get("false")
        return evaluate(branch, filename) if branch is not None else None
    if isinstance(node, exp.Substring):
        text = evaluate(node.this, filename)
        start = evaluate(node.args["start"], filename)
        length = node.args.get("length")
        if length is None:
            return text[start - 1 :]
        return text[start - 1 : start - 1 + evaluate(length, filename)]
    if isinstance(node, (exp.DPipe, exp.Concat)):
        parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
        values = [evaluate(part, filename) for part in parts]
        return None if any(v is None for v in values) else "".join(values)
    if isinstance(node, exp.EQ):
        return evaluate(node.this, filename) == evaluate(node.expression, filename)
    if isinstance(node, exp.Case):
        subject = evaluate(node.this, filename) if node.this is not None else True
        for branch in node.args.get("ifs") or []:
            if evaluate(branch.this, filename) == subject:
                return evaluate(branch.args["true"], filename)
        default = node.args.get("default")
        return evaluate(default, filename) if default is not None else None
    if isinstance(node, exp.Nullif):
        value = evaluate(node.this, filename)
        return None if value == evaluate(node.expression, filename) else value
    if isinstance(node, exp.Cast):
        value = evaluate(node.this, filename)
        if value is None:
            return None
        target = node.to.this
        if target in (exp.DataType.Type.DECIMAL, exp.DataType.Type.INT, exp.DataType.Type.BIGINT):
            return int(value)
        if target == exp.DataType.Type.DATE:
            return datetime.date.fromisoformat(value).isoformat()
        if target in (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ):
            return datetime.datetime.fromisoformat(value).isoformat(sep=" ")
        return str(value)
    raise ValueError(f"cannot evaluate {type(node).__name__} in a partition expression")


def partition_values(tree, filenames):
    """{column: [value per filename]} for the columns computed from metadata$filename."""
    values = {}
    for column in tree.this.expressions if isinstance(tree, exp.Create) else []:
        constraints = [c.args.get("kind") for c in column.args.get("constraints") or []]
        computed = next((c for c in constraints if isinstance(c, exp.ComputedColumnConstraint)), None)
        if computed and any(c.name.lower() == "metadata$filename" for c in computed.this.find_all(exp.Column)):
            values[column.name] = [evaluate(computed.this, f) for f in filenames]
    return values


def variant_fields(node):
    """Keys read from the external table's VALUE: `value:key` (JSONExtract) or `value['key']` (Bracket)."""
    fields = []
    for found in node.walk():
        if isinstance(found, exp.JSONExtract) and found.this.name.lower() == "value":
            keys = [k.name for k in found.expression.expressions if isinstance(k, exp.JSONPathKey)]
            fields.append(".".join(keys))
        elif isinstance(found, exp.Bracket) and found.this.name.lower() == "value":
            fields.append(".".join(e.name for e in found.expressions))
    return fields


def describe_column(column):
    constraints = [c.args.get("kind") for c in column.args.get("constraints") or []]
    computed = next((c for c in constraints if isinstance(c, exp.ComputedColumnConstraint)), None)
    comment = next((c for c in constraints if isinstance(c, exp.CommentColumnConstraint)), None)
    return {
        "name": column.name,
        "comment": comment.this.this if comment is not None else None,
        "quoted": bool(column.this.args.get("quoted")),
        "type": column.args["kind"].sql("snowflake") if column.args.get("kind") else None,
        "computed": computed is not None,
        "fields": variant_fields(computed.this) if computed else [],
        "readsFilename": any(c.name.lower() == "metadata$filename" for c in computed.this.find_all(exp.Column))
        if computed
        else False,
        "expressionNodes": sorted({type(n).__name__ for n in computed.this.walk()}) if computed else [],
        "casts": [c.to.sql("snowflake") for c in computed.this.find_all(exp.Cast)] if computed else [],
        "functions": sorted(
            {f.sql_name() for f in computed.this.find_all(exp.Func) if not isinstance(f, exp.Cast)}
        )
        if computed
        else [],
    }


def describe(statement, filenames=()):
    text = statement
    external_drop = bool(EXTERNAL_DROP.match(statement))
    if external_drop:
        text = EXTERNAL_DROP.sub("DROP TABLE ", statement, count=1)
    tree = sqlglot.parse_one(text, read="snowflake")
    if isinstance(tree, exp.Command):
        raise ValueError(f"sqlglot fell back to a Command for: {statement}")
    out = {"type": type(tree).__name__}
    if isinstance(tree, exp.Create):
        out["kind"] = tree.args.get("kind")
        out["replace"] = bool(tree.args.get("replace"))
        schema = tree.this
        out["name"] = name_parts(schema.this if isinstance(schema, exp.Schema) else schema)
        out["columns"] = [describe_column(c) for c in schema.expressions if isinstance(c, exp.ColumnDef)]
        props = tree.args.get("properties")
        properties = {}
        for prop in props.expressions if props else []:
            key = type(prop).__name__ if type(prop) is not exp.Property else prop.name.upper()
            if isinstance(prop, exp.LocationProperty):
                properties[key] = prop.this.sql("snowflake") if prop.this else True
            elif isinstance(prop, exp.PartitionedByProperty):
                properties[key] = [e.name for e in prop.this.expressions] if prop.this else []
            elif isinstance(prop, exp.FileFormatProperty):
                options = {}
                for option in prop.expressions:
                    options[option.name.upper()] = option.text("value") or option.args["value"].sql("snowflake")
                properties[key] = options
            elif isinstance(prop, exp.SchemaCommentProperty):
                properties[key] = prop.this.this
            elif type(prop) is exp.Property:
                properties[key] = prop.args["value"].sql("snowflake")
            else:
                properties[key] = True
        out["properties"] = properties
        if filenames:
            out["partitionValues"] = partition_values(tree, filenames)
    elif isinstance(tree, exp.Alter):
        out["kind"] = tree.args.get("kind")
        out["name"] = name_parts(tree.this)
        actions = []
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.ColumnDef):
                actions.append({"action": "ADD_COLUMN", "exists": bool(action.args.get("exists")), **describe_column(action)})
            elif isinstance(action, exp.Drop):
                actions.append(
                    {
                        "action": "DROP_COLUMN",
                        "exists": bool(action.args.get("exists")),
                        "columns": [c.name for c in action.args.get("tables") or []],
                    }
                )
            else:
                actions.append({"action": type(action).__name__})
        out["actions"] = actions
    elif isinstance(tree, exp.Drop):
        out["kind"] = "EXTERNAL TABLE" if external_drop else tree.args.get("kind")
        out["exists"] = bool(tree.args.get("exists"))
        tables = tree.args.get("tables") or []
        out["name"] = name_parts(tables[0]) if tables else None
    return out


def check(request, detector):
    """Descriptions of the statements, or raises ValueError naming the one that failed.

    The request is a list of statements, or {"statements": [...], "filenames": [...]} to also
    evaluate the partition columns for those metadata$filename values."""
    statements = request["statements"] if isinstance(request, dict) else request
    filenames = request.get("filenames", []) if isinstance(request, dict) else []
    results = []
    for statement in statements:
        detector.messages.clear()
        try:
            results.append(describe(statement, filenames))
        except Exception as error:  # noqa: BLE001 - any parse failure fails the check
            raise ValueError(f"{type(error).__name__}: {error}") from error
        if detector.messages:
            raise ValueError("; ".join(detector.messages))
    return results


def main():
    detector = FallbackDetector()
    logging.getLogger("sqlglot").addHandler(detector)
    if "--serve" in sys.argv:
        # One JSON array of statements per input line, one JSON answer per output line, so a test
        # run pays for Python and the sqlglot import once.
        for line in sys.stdin:
            try:
                answer = {"ok": check(json.loads(line), detector)}
            except ValueError as error:
                answer = {"error": str(error)}
            print(json.dumps(answer), flush=True)
        return
    try:
        results = check(json.load(sys.stdin), detector)
    except ValueError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    json.dump(results, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
