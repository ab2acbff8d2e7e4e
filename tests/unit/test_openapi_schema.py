"""Schemathesis against our own OpenAPI schema on a live server: no 5xx, responses conform."""

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from tests.live import free_port, serving

EXAMPLES_PER_OPERATION = 40


def test_every_operation_honours_the_schema(rag_app: RagApp, docs: Path) -> None:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 15
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                derandomize=True,  # the same examples on every run: CI stays reproducible
            )
            def check(case: schemathesis.Case) -> None:
                # Our validation is stricter than a JSON schema can say (collection names,
                # blank questions), so a schema-valid request may fairly get a documented 4xx.
                case.call_and_validate(excluded_checks=[positive_data_acceptance])

            check()
