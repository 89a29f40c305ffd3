#!/usr/bin/env python3
"""validate-sarif.py FILE... - validate SARIF files against SARIF 2.1.0's JSON schema
(tests/data/sarif-schema-2.1.0.json) with python3-jsonschema. Prints "FILE: valid" per
file, or each schema error with its JSON path; exits 1 when a file is invalid, 2 when
the validator cannot run."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("validate-sarif.py: python3-jsonschema is not installed\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "data", "sarif-schema-2.1.0.json")


def main(paths):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if doc.get("version") != "2.1.0":
            print(f"{path}: version is not 2.1.0")
            bad += 1
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message}")
        if errors:
            bad += 1
        elif doc.get("version") == "2.1.0":
            print(f"{path}: valid")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write("usage: validate-sarif.py FILE...\n")
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
