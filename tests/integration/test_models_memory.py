"""The card's memory estimate against the RSS a real load of the bundled model adds."""

import pytest

from bench.models import measure
from rag.llm.local import bundled_model_path

pytestmark = pytest.mark.integration


def test_the_estimate_is_within_15_percent_of_the_rss_a_load_adds() -> None:
    measured = measure(bundled_model_path(), n_ctx=1024, n_batch=256, prompt_tokens=900)
    assert measured.prompt_tokens > 800  # the prompt fills most of the context
    assert abs(measured.error) < 0.15, measured
