"""The official IPTC ninjs 2.2 JSON Schema (tests/ninjs/, CC BY 4.0), checked offline."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA = json.loads((Path(__file__).parent / "ninjs" / "ninjs-schema_2.2.json").read_text())
Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())


def assert_ninjs(item: dict) -> dict:
    """Fail with every way `item` breaks the ninjs 2.2 schema; return it for chaining."""
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda error: list(error.absolute_path))
    assert not errors, "not ninjs 2.2:\n" + "\n".join(
        f"  {'/'.join(map(str, error.absolute_path)) or '(item)'}: {error.message}" for error in errors
    )
    return item
