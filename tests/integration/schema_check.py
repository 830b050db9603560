#!/usr/bin/env python3
"""Validates every shipped scenario (scenarios/*.json except the catalog and
the schemas) against scenarios/scenario.schema.json, and the catalog against
catalog.schema.json when both exist. Then checks that the schema can fail:
a copy of a shipped scenario with a deliberate error (partitions as a
string, an unknown key) must be rejected.

Usage: schema_check.py <scenarios-dir>. Exits 1 naming the failing file and
the schema's message.
"""
import copy
import json
import pathlib
import sys

import jsonschema


def validator_for(schema_path):
    schema = json.loads(schema_path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors_of(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))


def pointer(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def is_scenario(path):
    return path.suffix == ".json" and not path.name.startswith("catalog") and not path.name.endswith(".schema.json")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory = pathlib.Path(argv[1])
    scenario_validator = validator_for(directory / "scenario.schema.json")
    failures = 0

    scenarios = sorted(p for p in directory.glob("*.json") if is_scenario(p))
    if not scenarios:
        print(f"FAIL: no scenario files in {directory}", file=sys.stderr)
        return 1
    for path in scenarios:
        errors = errors_of(scenario_validator, json.loads(path.read_text()))
        for error in errors:
            print(f"FAIL: {path}: {pointer(error)}: {error.message}", file=sys.stderr)
        failures += bool(errors)
        if not errors:
            print(f"ok: {path.name}")

    catalog_schema = directory / "catalog.schema.json"
    catalog = directory / "catalog.json"
    if catalog_schema.exists() and catalog.exists():
        errors = errors_of(validator_for(catalog_schema), json.loads(catalog.read_text()))
        for error in errors:
            print(f"FAIL: {catalog}: {pointer(error)}: {error.message}", file=sys.stderr)
        failures += bool(errors)
        if not errors:
            print(f"ok: {catalog.name}")

    # The schema must be able to fail: break a shipped scenario on purpose.
    base = json.loads((directory / "kappa-reference.json").read_text()
                      if (directory / "kappa-reference.json").exists() else scenarios[0].read_text())
    breakages = {
        "partitions as a string": lambda d: d["candidates"][0].setdefault("broker", {}).update(partitions="12"),
        "unknown top-level key": lambda d: d.update(nmae="x"),
        "duration without a unit": lambda d: d.setdefault("simulation", {}).update(duration="30"),
        "both linger and linger_ms": lambda d: d["candidates"][0].setdefault("producer", {}).update(
            linger="5ms", linger_ms=5),
        "unknown candidate kind": lambda d: d["candidates"][0].update(kind="lambda"),
    }
    for label, breakage in breakages.items():
        broken = copy.deepcopy(base)
        breakage(broken)
        if not errors_of(scenario_validator, broken):
            print(f"FAIL: the schema accepts a scenario with {label}", file=sys.stderr)
            failures += 1
        else:
            print(f"ok: rejects {label}")

    if failures:
        print(f"{failures} schema check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
