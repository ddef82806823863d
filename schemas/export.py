"""Export the JSON Schemas of the contract: `python -m schemas.export` (or `make schemas`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.digest import Digest
from schemas.llm_output import LLMDigest
from schemas.request import DigestRequest

SCHEMA_DIR = Path(__file__).resolve().parent
EXPORTS: dict[str, type[BaseModel]] = {
    "request.schema.json": DigestRequest,
    "digest.schema.json": Digest,
    "llm_output.schema.json": LLMDigest,
}


def rendered(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    for name, model in EXPORTS.items():
        (SCHEMA_DIR / name).write_text(rendered(model), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
