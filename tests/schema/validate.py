#!/usr/bin/python3
"""Validate pvhprobe JSON documents against their JSON Schema.

    validate.py [--schema FILE] [--lines] FILE...     ("-" reads standard input)

Without --schema, each document is checked against the schema its "schema"
value names: "pvhprobe/2" -> schema/pvhprobe-2.json (the report; "pvhprobe/1",
that of pvhprobe 0.1, -> schema/pvhprobe-1.json),
"pvhprobe-kernel/1" -> schema/pvhprobe-kernel-1.json (`pvhprobe kernel -j`),
"pvhprobe-compare/1" -> schema/pvhprobe-compare-1.json (`pvhprobe compare -j`);
a document naming none is checked against schema/pvhprobe-2.json (and so
fails on its "schema" key). With --schema, every document is checked against
that file.

Each FILE holds one JSON document, or with --lines one document per line
(JSON Lines; blank lines are skipped). For every document the result is
printed on standard output: "NAME: OK", or one line per validation error,
"NAME: $.json.path: message" (NAME is FILE, and FILE:LINE with --lines).

Exit status: 0 every document is valid; 1 some document is invalid or is not
JSON; 2 usage error, unreadable file, or a schema that is itself invalid.

Needs the jsonschema module (Debian: python3-jsonschema, 4.10 or later), so
run it with /usr/bin/python3 rather than a PATH python3 that may lack it.
"""

import argparse
import json
import os
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError as e:  # pragma: no cover - depends on the host
    sys.stderr.write(
        "validate.py: cannot import jsonschema (%s); install python3-jsonschema "
        "and run with /usr/bin/python3\n" % e
    )
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "schema"))
DEFAULT_SCHEMA = os.path.join(SCHEMA_DIR, "pvhprobe-2.json")
# The "schema" value of a document -> the schema file that describes it.
SCHEMAS = {
    "pvhprobe/2": DEFAULT_SCHEMA,
    "pvhprobe/1": os.path.join(SCHEMA_DIR, "pvhprobe-1.json"),
    "pvhprobe-kernel/1": os.path.join(SCHEMA_DIR, "pvhprobe-kernel-1.json"),
    "pvhprobe-compare/1": os.path.join(SCHEMA_DIR, "pvhprobe-compare-1.json"),
}


IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(err):
    """The instance location of an error as a JSONPath ("$.models['freebsd-14.0'].path")."""
    out = "$"
    for part in err.absolute_path:
        if isinstance(part, int):
            out += "[%d]" % part
        elif IDENT.match(part):
            out += "." + part
        else:
            out += "[%s]" % json.dumps(part).replace("'", "\\'").replace('"', "'")
    return out


def reject_constant(name):
    raise ValueError("not valid JSON: %s" % name)


def reject_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError("duplicate key %s" % json.dumps(k))
        obj[k] = v
    return obj


def load_json(text):
    # NaN and Infinity are not JSON, and pvhprobe's reader rejects duplicate
    # keys; Python's json accepts both by default.
    return json.loads(text, parse_constant=reject_constant, object_pairs_hook=reject_duplicates)


def load_validator(path):
    """A validator for the schema file at path; raises SchemaLoadError."""
    try:
        with open(path, "rb") as f:
            schema = json.loads(f.read().decode("utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        raise SchemaLoadError("%s: %s" % (path, e))
    except jsonschema.exceptions.SchemaError as e:
        raise SchemaLoadError("%s: invalid schema: %s" % (path, e.message))
    return Draft202012Validator(schema)


class SchemaLoadError(Exception):
    pass


class Validators:
    """One fixed validator (--schema), or one per schema file, picked by the
    document's "schema" value and loaded when first needed."""

    def __init__(self, fixed):
        self.fixed = fixed
        self.cache = {}

    def pick(self, doc):
        if self.fixed is not None:
            return self.fixed
        path = DEFAULT_SCHEMA
        if isinstance(doc, dict) and isinstance(doc.get("schema"), str):
            path = SCHEMAS.get(doc["schema"], DEFAULT_SCHEMA)
        if path not in self.cache:
            self.cache[path] = load_validator(path)
        return self.cache[path]


def check(validators, name, text, out):
    """Validates one document; returns True if it is valid."""
    try:
        doc = load_json(text)
    except ValueError as e:
        out.append("%s: not JSON: %s" % (name, e))
        return False
    validator = validators.pick(doc)
    errors = sorted(validator.iter_errors(doc), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        out.append("%s: OK" % name)
        return True
    for e in errors:
        out.append("%s: %s: %s" % (name, json_path(e), e.message))
        # For anyOf/oneOf failures, say which alternatives failed and why.
        for sub in sorted(e.context or [], key=lambda s: list(s.absolute_path)):
            out.append("%s:   %s: %s" % (name, json_path(sub), sub.message))
    return False


def read_input(path):
    if path == "-":
        return "<stdin>", sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return path, f.read()


def main(argv):
    ap = argparse.ArgumentParser(
        prog="validate.py",
        description="Validate pvhprobe JSON documents against their JSON Schema.",
    )
    ap.add_argument("--schema", default=None,
                    help="schema file (default: by the document's \"schema\" value, from %s)" % SCHEMA_DIR)
    ap.add_argument("--lines", action="store_true", help="JSON Lines input: one document per line")
    ap.add_argument("files", nargs="+", metavar="FILE", help='report file, or "-" for standard input')
    args = ap.parse_args(argv)

    try:
        validators = Validators(load_validator(args.schema) if args.schema else None)
    except SchemaLoadError as e:
        sys.stderr.write("validate.py: %s\n" % e)
        return 2

    if args.files.count("-") > 1:
        sys.stderr.write('validate.py: "-" given more than once\n')
        return 2

    ok = True
    for path in args.files:
        try:
            name, data = read_input(path)
        except OSError as e:
            sys.stderr.write("validate.py: %s: %s\n" % (path, e.strerror or e))
            return 2
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            print("%s: not JSON: not UTF-8 (%s)" % (name, e))
            ok = False
            continue
        out = []
        try:
            if args.lines:
                ndocs = 0
                for n, line in enumerate(text.split("\n"), 1):
                    if line.strip() == "":
                        continue
                    ndocs += 1
                    ok &= check(validators, "%s:%d" % (name, n), line, out)
                if ndocs == 0:
                    out.append("%s: no JSON documents" % name)
                    ok = False
            else:
                ok &= check(validators, name, text, out)
        except SchemaLoadError as e:
            for line in out:
                print(line)
            sys.stderr.write("validate.py: %s\n" % e)
            return 2
        for line in out:
            print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
